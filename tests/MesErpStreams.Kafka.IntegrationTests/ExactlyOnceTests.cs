using Confluent.Kafka;
using MesErpStreams.Kafka.TxnWorker;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Kafka.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class ExactlyOnceTests(EmbeddedKafkaFixture kafka)
{
    private const int Inputs = 3000;

    [Fact]
    public async Task Transactional_pipeline_emits_exactly_one_output_per_input_across_a_broker_outage()
    {
        var input = kafka.CreateTopic("eos-in", partitions: 4, replicationFactor: 3);
        var output = kafka.CreateTopic("eos-out", partitions: 4, replicationFactor: 3);
        using (var p = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build())
        {
            for (var i = 0; i < Inputs; i++)
            {
                p.Produce(input, new Message<string, string> { Key = $"order-{i % 50}", Value = i.ToString() });
            }

            p.Flush(TimeSpan.FromSeconds(20)).Should().Be(0);
        }

        // The outage takes down a partition leader (broker 1), not the coordinators: with the group or transaction
        // coordinator on the broker going down, librdkafka 2.15.1's SendOffsetsToTransaction against the mock cluster
        // was seen to wait forever (a native wait without timeout, caught by a stack dump of a hung CI run).
        var group = EmbeddedKafkaFixture.UniqueName("eos");
        kafka.Cluster.SetCoordinator("group", group, 2);
        kafka.Cluster.SetCoordinator("transaction", TransactionalPassthrough.TransactionalIdOf(group), 2);
        kafka.Cluster.SetPartitionLeader(input, 0, 1);
        kafka.Cluster.SetPartitionLeader(output, 0, 1);
        using var pipeline = new TransactionalPassthrough(kafka.BootstrapServers, input, output, group);
        await Eventually.TrueAsync(() => pipeline.Committed >= Inputs / 4, TimeSpan.FromSeconds(60), "a quarter of the input to be committed");

        kafka.Cluster.SetBrokerDown(1);
        var committedAtOutage = pipeline.Committed;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3)); // the outage itself: processing must ride it out
        }
        finally
        {
            kafka.Cluster.SetBrokerUp(1);
        }

        try
        {
            await Eventually.TrueAsync(() => pipeline.Committed >= Inputs || pipeline.Failure is not null, TimeSpan.FromSeconds(90),
                "all input to be committed after the broker returned");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; committed {pipeline.Committed}; {pipeline.Diagnostics()}; events:\n{string.Join('\n', pipeline.Events.TakeLast(60))}");
        }
        pipeline.Failure.Should().BeNull();
        committedAtOutage.Should().BeLessThan(Inputs, "the outage must hit the pipeline mid-run");
        await pipeline.StopAsync();

        var outputs = TopicContents.Read(kafka.BootstrapServers, output, 4, IsolationLevel.ReadCommitted);
        outputs.Should().HaveCount(Inputs, "one output per input, no duplicates from aborted or retried transactions");
        outputs.Select(int.Parse).Should().BeEquivalentTo(Enumerable.Range(0, Inputs));
    }
}
