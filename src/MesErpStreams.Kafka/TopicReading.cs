using Confluent.Kafka;
using MesErpStreams.Kafka.Configuration;

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
        Action<ConsumeResult<byte[], byte[]>> onRecord) =>
        ReadToEnd(new KafkaClientOptions { BootstrapServers = bootstrapServers }, topic, partitions, isolation, timeout, onRecord);

    /// <summary>As <see cref="ReadToEnd(string, string, int?, IsolationLevel, TimeSpan, Action{ConsumeResult{byte[], byte[]}})"/>, with the client settings (security) of <paramref name="kafka"/>.</summary>
    /// <exception cref="KafkaException">The topic is not on the cluster.</exception>
    public static bool ReadToEnd(KafkaClientOptions kafka, string topic, int? partitions, IsolationLevel isolation, TimeSpan timeout,
        Action<ConsumeResult<byte[], byte[]>> onRecord)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(onRecord);
        var deadline = DateTime.UtcNow + timeout;
        var count = partitions ?? PartitionCount(kafka, topic, timeout);
        var config = kafka.ToConsumerConfig("meserp-read-" + Guid.NewGuid().ToString("N"));
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnableAutoCommit = false;
        config.EnablePartitionEof = true;
        config.IsolationLevel = isolation;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
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

    private static int PartitionCount(KafkaClientOptions kafka, string topic, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(kafka.ToAdminConfig()).Build();
        var t = admin.GetMetadata(topic, timeout).Topics.FirstOrDefault(x => x.Topic == topic);
        return t is { Error.IsError: false, Partitions.Count: > 0 }
            ? t.Partitions.Count
            : throw new KafkaException(t?.Error ?? new Error(ErrorCode.UnknownTopicOrPart, $"topic '{topic}' is not in the metadata"));
    }
}
