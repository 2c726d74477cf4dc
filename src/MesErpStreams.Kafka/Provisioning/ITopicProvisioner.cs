using MesErpStreams.Kafka.Catalog;

namespace MesErpStreams.Kafka.Provisioning;

/// <summary>Makes a cluster hold the catalog's topics: creates missing ones, reports (never silently accepts) drift.</summary>
public interface ITopicProvisioner
{
    /// <summary>Provisions every topic of the catalog; idempotent.</summary>
    Task<IReadOnlyList<TopicApplyResult>> ApplyAsync(TopicCatalog catalog, CancellationToken cancellationToken = default);
}
