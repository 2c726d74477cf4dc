using Confluent.Kafka;
using MesErpStreams.Kafka.Configuration;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>
/// Bounded, read-only reads of whole topics: partitions are assigned (no group membership, nothing committed), read
/// read_committed from the first record at or after a time (or the low watermark) up to the high watermark taken before
/// the read, so a read ends even while producers keep writing.
/// </summary>
internal sealed class TopicReader(KafkaClientOptions kafka, TimeSpan timeout)
{
    /// <summary>End offsets per partition of each topic, taken now (a consistent cut across topics).</summary>
    public Dictionary<string, List<TopicPartitionOffset>> EndOffsets(IEnumerable<string> topics)
    {
        try
        {
            return EndOffsetsCore(topics);
        }
        catch (KafkaException e)
        {
            throw new ReconcileInputException($"Kafka at '{kafka.BootstrapServers}': {e.Error.Reason}", e);
        }
    }

    private Dictionary<string, List<TopicPartitionOffset>> EndOffsetsCore(IEnumerable<string> topics)
    {
        using var admin = new AdminClientBuilder(kafka.ToAdminConfig()).Build();
        using var consumer = NewConsumer();
        var result = new Dictionary<string, List<TopicPartitionOffset>>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            Metadata metadata;
            try
            {
                metadata = admin.GetMetadata(topic, timeout);
            }
            catch (KafkaException e)
            {
                throw new ReconcileInputException($"Kafka at '{kafka.BootstrapServers}' did not answer a metadata request for '{topic}': {e.Error.Reason}", e);
            }

            var t = metadata.Topics.FirstOrDefault(x => x.Topic == topic);
            if (t is null || t.Error.IsError || t.Partitions.Count == 0)
            {
                throw new ReconcileInputException($"topic '{topic}' does not exist or has no partitions ({t?.Error.Reason ?? "not in metadata"})");
            }

            result[topic] = [.. t.Partitions.OrderBy(p => p.PartitionId).Select(p =>
            {
                var tp = new TopicPartition(topic, p.PartitionId);
                return new TopicPartitionOffset(tp, consumer.QueryWatermarkOffsets(tp, timeout).High);
            })];
        }

        return result;
    }

    /// <summary>Reads every record of <paramref name="ends"/>' partitions before their end offsets, starting at the first
    /// record at or after <paramref name="since"/> where the broker can say (else the low watermark).</summary>
    /// <returns>Records read.</returns>
    public Task<long> ReadAsync(IReadOnlyList<TopicPartitionOffset> ends, DateTimeOffset? since, Func<ConsumeResult<byte[]?, byte[]?>, ValueTask> handle, CancellationToken ct) =>
        Task.Run(async () =>
        {
            using var consumer = NewConsumer();
            var starts = Starts(consumer, ends, since);
            var open = new Dictionary<int, long>();
            var assignment = new List<TopicPartitionOffset>();
            foreach (var end in ends)
            {
                var start = starts[end.Partition.Value];
                if (start < end.Offset.Value)
                {
                    open[end.Partition.Value] = end.Offset.Value;
                    assignment.Add(new TopicPartitionOffset(end.TopicPartition, start));
                }
            }

            long n = 0;
            consumer.Assign(assignment);
            while (open.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                ConsumeResult<byte[]?, byte[]?>? r;
                try
                {
                    r = consumer.Consume(TimeSpan.FromMilliseconds(200));
                }
                catch (ConsumeException e)
                {
                    throw new ReconcileInputException($"reading {e.ConsumerRecord?.Topic ?? ends[0].Topic}: {e.Error.Reason}", e);
                }

                if (r is null || !open.TryGetValue(r.Partition.Value, out var endOffset))
                {
                    continue;
                }

                if (r.IsPartitionEOF || r.Offset.Value >= endOffset)
                {
                    // EOF also ends a partition whose last offsets are transaction markers (never delivered).
                    // Later records of a closed partition are ignored by the lookup above.
                    open.Remove(r.Partition.Value);
                    continue;
                }

                await handle(r);
                n++;
            }

            consumer.Close();
            return n;
        }, ct);

    private Dictionary<int, long> Starts(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartitionOffset> ends, DateTimeOffset? since)
    {
        var starts = ends.ToDictionary(e => e.Partition.Value, e => consumer.QueryWatermarkOffsets(e.TopicPartition, timeout).Low.Value);
        if (since is { } t)
        {
            // Offset -1: no record at or after the time, or a broker without time lookups (the embedded mock cluster):
            // then the whole partition is read and the per-record filters keep the result exact.
            foreach (var found in consumer.OffsetsForTimes(ends.Select(e => new TopicPartitionTimestamp(e.TopicPartition, new Timestamp(t))), timeout))
            {
                if (found.Offset.Value >= 0)
                {
                    starts[found.Partition.Value] = Math.Max(starts[found.Partition.Value], found.Offset.Value);
                }
            }
        }

        return starts;
    }

    private IConsumer<byte[]?, byte[]?> NewConsumer() =>
        new ConsumerBuilder<byte[]?, byte[]?>(kafka.ToConsumerConfig("meserp-reconcile-" + Guid.NewGuid().ToString("N"), [
            new("enable.auto.commit", "false"), new("enable.auto.offset.store", "false"), new("isolation.level", "read_committed"),
            new("enable.partition.eof", "true"), new("auto.offset.reset", "earliest")])).Build();
}
