using Confluent.Kafka;
using MesErpStreams.Kafka.Embedded;

namespace MesErpStreams.Edge.IntegrationTests;

/// <summary>
/// Pins a limit of the embedded (librdkafka mock) cluster that the edge tests work around: its Fetch handler reports
/// no aborted transactions (rdkafka_mock_handlers.c writes "#Aborted = 0" and LSO = end offset), so read_committed
/// consumers also see records of aborted transactions. When this test starts failing, the mock filters them and
/// <see cref="StoreAndForwardTests.Edge_killed_while_forwarding_loses_nothing_and_duplicates_nothing"/> can demand
/// zero duplicates.
/// </summary>
public sealed class MockClusterLimitTests
{
    [Fact]
    public void Embedded_cluster_shows_aborted_transactional_records_to_read_committed_consumers()
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        cluster.CreateTopic("txn-probe", 1);
        using (var p = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, TransactionalId = "probe" }).Build())
        {
            p.InitTransactions(TimeSpan.FromSeconds(10));
            p.BeginTransaction();
            p.Produce("txn-probe", new Message<string, string> { Key = "k", Value = "aborted" });
            p.Flush();
            p.AbortTransaction();
            p.BeginTransaction();
            p.Produce("txn-probe", new Message<string, string> { Key = "k", Value = "committed" });
            p.CommitTransaction();
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers, GroupId = "probe", AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted, EnablePartitionEof = true,
        }).Build();
        consumer.Subscribe("txn-probe");
        var seen = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && consumer.Consume(TimeSpan.FromMilliseconds(200)) is var r && r?.IsPartitionEOF != true)
        {
            if (r is not null)
            {
                seen.Add(r.Message.Value);
            }
        }

        seen.Should().Equal(["aborted", "committed"], "the mock does not filter aborted transactions (a real broker shows only 'committed')");
    }
}
