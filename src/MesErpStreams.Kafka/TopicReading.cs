using Confluent.Kafka;

namespace MesErpStreams.Kafka;

/// <summary>Reading a whole topic once, as it stands now (reconciliation of a run, the chaos verdict, tests).</summary>
public static class TopicReading
{
    /// <summary>
    /// Hands every record of <paramref name="topic"/>, from the beginning of each partition, to <paramref name="onRecord"/>
    /// until every partition reports its end (for <see cref="IsolationLevel.ReadCommitted"/>: the last stable offset, so
    /// trailing transaction markers end a partition too), or until <paramref name="timeout"/>. Partitions are assigned,
    /// not subscribed: no group membership, nothing committed.
    /// </summary>
    /// <param name="bootstrapServers">Kafka bootstrap servers.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="partitions">Its partition count, or null to look it up.</param>
    /// <param name="isolation">Isolation level of the read.</param>
    /// <param name="timeout">Bound of the whole read.</param>
    /// <param name="onRecord">Called for every record, in partition order.</param>
    /// <returns>True when every partition was read to its end within <paramref name="timeout"/>.</returns>
    public static bool ReadToEnd(string bootstrapServers, string topic, int? partitions, IsolationLevel isolation, TimeSpan timeout,
        Action<ConsumeResult<byte[], byte[]>> onRecord)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        var deadline = DateTime.UtcNow + timeout;
        var count = partitions ?? PartitionCount(bootstrapServers, topic, timeout);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers, GroupId = "meserp-read-" + Guid.NewGuid().ToString("N"), AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false, EnablePartitionEof = true, IsolationLevel = isolation,
        }).Build();
        consumer.Assign(Enumerable.Range(0, count).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var eof = new HashSet<int>();
        while (eof.Count < count && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                eof.Add(r.Partition.Value);
                continue;
            }

            eof.Remove(r.Partition.Value);
            onRecord(r);
        }

        return eof.Count == count;
    }

    private static int PartitionCount(string bootstrapServers, string topic, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var t = admin.GetMetadata(topic, timeout).Topics.FirstOrDefault(x => x.Topic == topic);
        return t is { Error.IsError: false, Partitions.Count: > 0 }
            ? t.Partitions.Count
            : throw new KafkaException(t?.Error ?? new Error(ErrorCode.UnknownTopicOrPart, $"topic '{topic}' is not in the metadata"));
    }
}
