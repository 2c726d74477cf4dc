using MesErpStreams.Kafka.Catalog;

namespace MesErpStreams.Kafka.Provisioning;

/// <summary>Compares a catalog entry with what a cluster holds.</summary>
public static class TopicComparer
{
    /// <summary>
    /// Lists the settings in which <paramref name="actual"/> differs from <paramref name="expected"/>. The expected
    /// replication factor is first clamped to <paramref name="brokerCount"/> (a one-broker dev cluster is not drift).
    /// Configs are compared only when the cluster reported them.
    /// </summary>
    public static IReadOnlyList<string> Differences(TopicSpec expected, TopicState actual, int brokerCount)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var diffs = new List<string>();
        if (expected.Partitions != actual.Partitions)
        {
            diffs.Add($"partitions: catalog {expected.Partitions}, cluster {actual.Partitions}");
        }

        var rf = EffectiveReplicationFactor(expected, brokerCount);
        if (rf != actual.ReplicationFactor)
        {
            diffs.Add($"replication factor: catalog {rf}, cluster {actual.ReplicationFactor}");
        }

        if (actual.Configs is { } configs)
        {
            foreach (var (key, value) in EffectiveConfigs(expected, brokerCount))
            {
                if (!configs.TryGetValue(key, out var have))
                {
                    diffs.Add($"{key}: catalog {value}, cluster (unset)");
                }
                else if (!string.Equals(have, value, StringComparison.Ordinal))
                {
                    diffs.Add($"{key}: catalog {value}, cluster {have}");
                }
            }
        }

        return diffs;
    }

    /// <summary>The replication factor to create a topic with on a cluster of <paramref name="brokerCount"/> brokers.</summary>
    public static short EffectiveReplicationFactor(TopicSpec spec, int brokerCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return (short)Math.Max(1, Math.Min(spec.ReplicationFactor, brokerCount));
    }

    /// <summary>Topic configs to create a topic with; min.insync.replicas never exceeds the effective replication factor.</summary>
    public static IReadOnlyDictionary<string, string> EffectiveConfigs(TopicSpec spec, int brokerCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var configs = new SortedDictionary<string, string>(spec.Configs.ToDictionary(), StringComparer.Ordinal);
        var rf = EffectiveReplicationFactor(spec, brokerCount);
        configs["min.insync.replicas"] = Math.Min(spec.MinInsyncReplicas, rf).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return configs;
    }
}
