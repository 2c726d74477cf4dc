using Confluent.Kafka;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Embedded;

namespace MesErpStreams.Kafka.Provisioning;

/// <summary>
/// Provisions topics on an <see cref="EmbeddedKafkaCluster"/> through its embedded API (the mock cluster has no
/// CreateTopics). Existing topics are compared by partition count and replication factor from metadata; the mock
/// keeps no topic configs, so cleanup.policy and retention are not enforced there (see README limits).
/// </summary>
public sealed class EmbeddedTopicProvisioner : ITopicProvisioner
{
    private readonly EmbeddedKafkaCluster _cluster;

    /// <summary>Creates the provisioner for a running cluster.</summary>
    public EmbeddedTopicProvisioner(EmbeddedKafkaCluster cluster) => _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));

    /// <inheritdoc />
    public Task<IReadOnlyList<TopicApplyResult>> ApplyAsync(TopicCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        var existing = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, StringComparer.Ordinal);
        var brokers = _cluster.Options.BrokerCount;
        var results = new List<TopicApplyResult>();
        foreach (var spec in catalog.Topics)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (existing.TryGetValue(spec.Name, out var meta))
            {
                var state = new TopicState(spec.Name, meta.Partitions.Count, meta.Partitions.Count > 0 ? meta.Partitions[0].Replicas.Length : 0, null);
                var diffs = TopicComparer.Differences(spec, state, brokers);
                results.Add(new TopicApplyResult(spec.Name, diffs.Count == 0 ? TopicApplyAction.UpToDate : TopicApplyAction.Drifted, diffs));
                continue;
            }

            try
            {
                _cluster.CreateTopic(spec.Name, spec.Partitions, TopicComparer.EffectiveReplicationFactor(spec, brokers));
                results.Add(new TopicApplyResult(spec.Name, TopicApplyAction.Created, []));
            }
            catch (EmbeddedKafkaException e)
            {
                results.Add(new TopicApplyResult(spec.Name, TopicApplyAction.Failed, [e.Message]));
            }
        }

        return Task.FromResult<IReadOnlyList<TopicApplyResult>>(results);
    }
}
