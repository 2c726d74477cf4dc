using Confluent.Kafka;

namespace MesErpStreams.Sink.Internal;

/// <summary>
/// Rebuilds <see cref="ParkedKeys"/> when retry-tier partitions are assigned: every record between the group's
/// committed offset and the end of the partition is a command still waiting in that tier, so its key is parked.
/// Records counted here that were in fact finished (a crash before the commit) are read and finished again by this
/// worker, which releases them; the count is therefore never stuck.
/// </summary>
internal static class RetryTierScanner
{
    public static void Rebuild(IConsumer<string, byte[]> consumer, Func<IConsumer<string, byte[]>> scannerFactory, ParkedKeys parked,
        Dictionary<string, int> tierOf, List<TopicPartition> retryPartitions, TimeProvider time)
    {
        if (retryPartitions.Count == 0)
        {
            return;
        }

        // Parked only once every partition was read, so that a failed rebuild can simply be repeated.
        var found = new List<(string Key, int Tier)>();
        var committed = consumer.Committed(retryPartitions, TimeSpan.FromSeconds(10));
        using var scanner = scannerFactory();
        foreach (var c in committed)
        {
            var wm = consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10));
            var start = c.Offset.Value >= 0 ? c.Offset.Value : wm.Low.Value;
            if (start >= wm.High.Value)
            {
                continue;
            }

            var tier = tierOf[c.Topic];
            scanner.Assign(new TopicPartitionOffset(c.TopicPartition, start));
            var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(30);
            long last = start - 1;
            while (last < wm.High.Value - 1 && time.GetUtcNow() < deadline)
            {
                var r = scanner.Consume(TimeSpan.FromMilliseconds(200));
                if (r?.Message is null)
                {
                    continue;
                }

                last = r.Offset.Value;
                found.Add((r.Message.Key ?? string.Empty, tier));
            }

            if (last < wm.High.Value - 1)
            {
                throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"could not read pending retries of {c.TopicPartition} in time"));
            }

            scanner.Unassign();
        }

        foreach (var (key, tier) in found)
        {
            parked.Add(key, tier);
        }
    }
}
