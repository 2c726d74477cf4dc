using System.Text;
using Confluent.Kafka;

namespace MesErpStreams.Kafka.IntegrationTests;

/// <summary>Reads a topic to its end as a consumer with the given isolation level sees it.</summary>
internal static class TopicContents
{
    /// <summary>
    /// Every value of <paramref name="topic"/>, read until each of its <paramref name="partitions"/> reports its end
    /// (for read_committed: the last stable offset), within 60 s.
    /// </summary>
    public static List<string> Read(string bootstrap, string topic, int partitions, IsolationLevel isolation)
    {
        var values = new List<string>();
        TopicReading.ReadToEnd(bootstrap, topic, partitions, isolation, TimeSpan.FromSeconds(60), r => values.Add(Encoding.UTF8.GetString(r.Message.Value)))
            .Should().BeTrue($"every partition of {topic} is read to its end");
        return values;
    }

    /// <summary>Produces <paramref name="count"/> records valued 0..count-1 keyed over 50 keys, idempotently.</summary>
    public static void ProduceNumbers(string bootstrap, string topic, int count)
    {
        using var p = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true }).Build();
        for (var i = 0; i < count; i++)
        {
            p.Produce(topic, new Message<string, string> { Key = $"order-{i % 50}", Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        p.Flush(TimeSpan.FromSeconds(20)).Should().Be(0);
    }

    /// <summary>The offsets <paramref name="group"/> has committed on the partitions of <paramref name="topic"/> (-1001 = none).</summary>
    public static IReadOnlyList<long> Committed(string bootstrap, string topic, int partitions, string group)
    {
        using var c = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = group, EnableAutoCommit = false, IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        return c.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(30))
            .OrderBy(t => t.Partition.Value).Select(t => t.Offset.Value).ToList();
    }
}
