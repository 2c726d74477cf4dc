using Confluent.Kafka;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Kafka.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class ProduceConsumeTests(EmbeddedKafkaFixture kafka)
{
    [Fact]
    public async Task Produced_records_are_consumed_in_order_per_partition()
    {
        var topic = kafka.CreateTopic("pc", partitions: 3);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
               { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true, Acks = Acks.All }).Build())
        {
            for (var i = 0; i < 300; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"k{i % 7}", Value = i.ToString() });
            }

            producer.Flush(TimeSpan.FromSeconds(10)).Should().Be(0);
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = EmbeddedKafkaFixture.UniqueName("g"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var seen = new List<(string Key, int Value)>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < 300 && DateTime.UtcNow < deadline)
        {
            var r = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(200)));
            if (r is { IsPartitionEOF: false, Message: not null })
            {
                seen.Add((r.Message.Key, int.Parse(r.Message.Value)));
            }
        }

        consumer.Close();
        seen.Should().HaveCount(300);
        seen.Select(s => s.Value).Should().OnlyHaveUniqueItems();
        foreach (var byKey in seen.GroupBy(s => s.Key))
        {
            byKey.Select(s => s.Value).Should().BeInAscendingOrder("records of one key stay in order");
        }
    }
}
