using Confluent.Kafka;

namespace MesErpStreams.Replay.Internal;

/// <summary>The offsets [Start, End) of one partition to read.</summary>
internal readonly record struct ReplayRange(long Start, long End)
{
    /// <summary>Per partition of the source topic: start from the explicit offset, else the first record at or after
    /// Since (looked up by time), else the low watermark; end at the explicit offset, else the first record at or after
    /// Until, else the high watermark now (so a replay ends even while the topic keeps growing). Offsets given for some
    /// partitions (<c>--start-offset</c>/<c>--end-offset</c>) restrict the replay to those partitions: the others are not
    /// read (they used to default to their whole range, so <c>--start-offset 5:14 --end-offset 5:15</c> replayed every
    /// record of partitions 0, 3 and 4 too). Empty ranges are left out.</summary>
    public static Dictionary<int, ReplayRange> Resolve(ReplayOptions o, IConsumer<byte[], byte[]> consumer, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(o.Kafka.ToAdminConfig()).Build();
        var metadata = admin.GetMetadata(o.SourceTopic, timeout);
        var topic = metadata.Topics.FirstOrDefault(t => t.Topic == o.SourceTopic);
        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
        {
            throw new InvalidOperationException($"--from: topic '{o.SourceTopic}' does not exist or has no partitions ({topic?.Error.Reason ?? "not in metadata"})");
        }

        var partitions = topic.Partitions.Select(p => new TopicPartition(o.SourceTopic, p.PartitionId)).ToList();
        var since = Times(consumer, partitions, o.Since, timeout);
        var until = Times(consumer, partitions, o.Until, timeout);
        var result = new Dictionary<int, ReplayRange>();
        var named = o.StartOffsets.Keys.Concat(o.EndOffsets.Keys).ToHashSet();
        foreach (var tp in partitions)
        {
            var p = tp.Partition.Value;
            if (named.Count > 0 && !named.Contains(p))
            {
                continue;
            }

            var w = consumer.QueryWatermarkOffsets(tp, timeout);
            // A time lookup without an answer (no record at or after it, or a broker without timestamp lookups, such
            // as the embedded mock cluster) widens the range to the watermarks; the per-record timestamp filter then
            // keeps the result exact at the cost of reading more.
            var start = o.StartOffsets.TryGetValue(p, out var s) ? s : since?.GetValueOrDefault(p, w.Low.Value) ?? w.Low.Value;
            var end = o.EndOffsets.TryGetValue(p, out var e) ? e : until?.GetValueOrDefault(p, w.High.Value) ?? w.High.Value;
            start = Math.Max(start, w.Low.Value);
            end = Math.Min(end, w.High.Value);
            if (start < end)
            {
                result[p] = new ReplayRange(start, end);
            }
        }

        return result;
    }

    private static Dictionary<int, long>? Times(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, DateTimeOffset? at, TimeSpan timeout)
    {
        if (at is not { } t)
        {
            return null;
        }

        var query = partitions.Select(tp => new TopicPartitionTimestamp(tp, new Timestamp(t))).ToList();
        var found = new Dictionary<int, long>();
        foreach (var r in consumer.OffsetsForTimes(query, timeout))
        {
            // Offset.End (-1): no record at or after the time, or the broker cannot look offsets up by time.
            if (r.Offset.Value >= 0)
            {
                found[r.Partition.Value] = r.Offset.Value;
            }
        }

        return found;
    }
}
