namespace MesErpStreams.Kafka.Provisioning;

/// <summary>What a cluster reports about an existing topic.</summary>
/// <param name="Name">Topic name.</param>
/// <param name="Partitions">Partition count.</param>
/// <param name="ReplicationFactor">Replicas of partition 0.</param>
/// <param name="Configs">Topic configs, or null when the cluster cannot describe them (the embedded cluster).</param>
public sealed record TopicState(string Name, int Partitions, int ReplicationFactor, IReadOnlyDictionary<string, string>? Configs);
