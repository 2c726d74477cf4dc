using System.Diagnostics;
using Confluent.Kafka;
using Streamiz.Kafka.Net;

/// <summary>Waits until a consumer group's committed offsets reach given end offsets.</summary>
internal static class Committed
{
    /// <summary>Returns the <see cref="Stopwatch"/> timestamp at which the offsets were first seen committed.</summary>
    public static async Task<long> WaitForAsync(string bootstrap, string group, IReadOnlyList<TopicPartitionOffset> ends, Task<KafkaStream.State> failed, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group }).Build();
        var deadline = Stopwatch.StartNew();
        var partitions = ends.Select(e => e.TopicPartition).ToList();
        while (true)
        {
            var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(c => c.TopicPartition, c => c.Offset.Value);
            if (ends.All(e => committed.GetValueOrDefault(e.TopicPartition, -1) >= e.Offset.Value))
            {
                return Stopwatch.GetTimestamp();
            }

            if (failed.IsCompleted)
            {
                throw new InvalidOperationException($"{group} stopped in state {failed.Result}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{group} did not commit the whole input within {timeout}: {string.Join(", ", ends.Select(e => $"{e.Partition.Value}: {committed.GetValueOrDefault(e.TopicPartition, -1)}/{e.Offset.Value}"))}");
            }

            await Task.Delay(20);
        }
    }
}
