namespace MesErpStreams.Kafka.Catalog;

/// <summary>One topic of the catalog: everything needed to create it identically on any cluster.</summary>
/// <param name="Name">Topic name.</param>
/// <param name="Role">What the topic is for (event, master-data, command, retry, dead-letter, result, internal, changelog).</param>
/// <param name="Partitions">Partition count.</param>
/// <param name="ReplicationFactor">Replication factor on a real cluster (clamped to the broker count on the embedded one).</param>
/// <param name="CleanupPolicy"><c>delete</c> or <c>compact</c>.</param>
/// <param name="RetentionMs">retention.ms; -1 keeps records forever.</param>
/// <param name="MinInsyncReplicas">min.insync.replicas on a real cluster (clamped to the replication factor).</param>
/// <param name="Description">What flows through it.</param>
public sealed record TopicSpec(
    string Name,
    string Role,
    int Partitions,
    short ReplicationFactor,
    string CleanupPolicy,
    long RetentionMs,
    int MinInsyncReplicas,
    string Description)
{
    /// <summary>The topic-level configs a broker should hold for this topic.</summary>
    public IReadOnlyDictionary<string, string> Configs => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = CleanupPolicy,
        ["retention.ms"] = RetentionMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["min.insync.replicas"] = MinInsyncReplicas.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
