using System.Text;
using Confluent.Kafka;
using MesErpStreams.Kafka.Configuration;

namespace MesErpStreams.Lineage.Internal;

/// <summary>What a bounded read found.</summary>
internal sealed record ReadResult(List<MatchedRecord> Records, List<string> MissingTopics, long Scanned);

/// <summary>
/// Reads a time range of several topics once, read_committed, with an assigned (never subscribed) consumer under a
/// throw-away group id that never commits. Per partition it starts at the first offset at or after <c>from</c>
/// (OffsetsForTimes; the low watermark when the broker cannot answer, as the embedded mock cluster) and ends at the
/// first offset after <c>to</c>, or the high watermark captured at the start, so a read ends while producers go on.
/// Record timestamps outside the range are skipped.
/// </summary>
internal sealed class TopicReader(KafkaClientOptions kafka, TimeSpan metadataTimeout)
{
    public async Task<ReadResult> ReadAsync(IReadOnlyList<LineageTopic> topics, DateTimeOffset from, DateTimeOffset to,
        Func<LineageTopic, ConsumeResult<byte[], byte[]>, ValueTask<bool>> match, TimeSpan timeout, CancellationToken ct)
    {
        var config = kafka.ToConsumerConfig("meserp-trace-" + Guid.NewGuid().ToString("N"), [
            new("enable.auto.commit", "false"), new("enable.auto.offset.store", "false"), new("isolation.level", "read_committed"),
            new("enable.partition.eof", "true"), new("auto.offset.reset", "earliest")]);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var byName = topics.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var (ranges, missing) = Resolve(consumer, topics, from, to);
        var result = new ReadResult([], missing, 0);
        if (ranges.Count == 0)
        {
            return result;
        }

        consumer.Assign(ranges.Select(r => new TopicPartitionOffset(r.Key, r.Value.Start)));
        var open = new HashSet<TopicPartition>(ranges.Keys);
        var deadline = DateTime.UtcNow + timeout;
        long scanned = 0;
        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = to.ToUnixTimeMilliseconds();
        while (open.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"could not read {string.Join(", ", open.Select(p => $"{p.Topic}[{p.Partition.Value}]").Take(5))} to the end of the range within --timeout {timeout}");
            }

            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null)
            {
                continue;
            }

            var end = ranges[r.TopicPartition].End;
            if (r.IsPartitionEOF || r.Offset.Value >= end)
            {
                Close(consumer, open, r.TopicPartition);
                continue;
            }

            scanned++;
            var ts = r.Message.Timestamp.UnixTimestampMs;
            if (ts >= fromMs && ts <= toMs && await match(byName[r.Topic], r))
            {
                result.Records.Add(new MatchedRecord(byName[r.Topic], r.Partition.Value, r.Offset.Value,
                    r.Message.Timestamp.UtcDateTime, r.Message.Key is { } k ? Encoding.UTF8.GetString(k) : null, r.Message.Headers ?? [], r.Message.Value));
            }

            if (r.Offset.Value >= end - 1)
            {
                Close(consumer, open, r.TopicPartition);
            }
        }

        consumer.Close();
        return result with { Scanned = scanned };
    }

    private static void Close(IConsumer<byte[], byte[]> consumer, HashSet<TopicPartition> open, TopicPartition tp)
    {
        if (open.Remove(tp))
        {
            consumer.Pause([tp]);
        }
    }

    private (Dictionary<TopicPartition, (long Start, long End)> Ranges, List<string> Missing) Resolve(
        IConsumer<byte[], byte[]> consumer, IReadOnlyList<LineageTopic> topics, DateTimeOffset from, DateTimeOffset to)
    {
        using var admin = new AdminClientBuilder(kafka.ToAdminConfig()).Build();
        var metadata = admin.GetMetadata(metadataTimeout);
        var missing = new List<string>();
        var partitions = new List<TopicPartition>();
        foreach (var t in topics)
        {
            var m = metadata.Topics.FirstOrDefault(x => x.Topic == t.Name);
            if (m is null || m.Error.IsError || m.Partitions.Count == 0)
            {
                missing.Add(t.Name);
                continue;
            }

            partitions.AddRange(m.Partitions.Select(p => new TopicPartition(t.Name, p.PartitionId)));
        }

        var starts = Times(consumer, partitions, from);
        var ends = Times(consumer, partitions, to.AddMilliseconds(1));
        var ranges = new Dictionary<TopicPartition, (long, long)>();
        foreach (var tp in partitions)
        {
            var w = consumer.QueryWatermarkOffsets(tp, metadataTimeout);
            var start = Math.Max(starts.GetValueOrDefault(tp, w.Low.Value), w.Low.Value);
            var end = Math.Min(ends.GetValueOrDefault(tp, w.High.Value), w.High.Value);
            if (start < end)
            {
                ranges[tp] = (start, end);
            }
        }

        return (ranges, missing);
    }

    private Dictionary<TopicPartition, long> Times(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, DateTimeOffset at)
    {
        var found = new Dictionary<TopicPartition, long>();
        if (partitions.Count == 0)
        {
            return found;
        }

        foreach (var r in consumer.OffsetsForTimes(partitions.Select(tp => new TopicPartitionTimestamp(tp, new Timestamp(at))), metadataTimeout))
        {
            // -1: no record at or after the time, or a broker that cannot look offsets up by time: use the watermark.
            if (r.Offset.Value >= 0)
            {
                found[r.TopicPartition] = r.Offset.Value;
            }
        }

        return found;
    }
}
