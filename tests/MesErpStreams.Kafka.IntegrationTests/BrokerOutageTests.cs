using Confluent.Kafka;
using MesErpStreams.Kafka.Embedded;

namespace MesErpStreams.Kafka.IntegrationTests;

public sealed class BrokerOutageTests
{
    [Fact]
    public async Task A_relayed_broker_taken_down_refuses_clients_and_serves_them_again_on_the_same_address_when_up()
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1, ProxyConnections = true });
        cluster.CreateTopic("outage", partitions: 1);
        var address = cluster.BootstrapServers;
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = address, MessageTimeoutMs = 2000, ReconnectBackoffMs = 50, ReconnectBackoffMaxMs = 200,
        }).Build();
        (await producer.ProduceAsync("outage", new Message<Null, string> { Value = "before" })).Status.Should().Be(PersistenceStatus.Persisted);

        cluster.SetBrokerDown(1);
        var during = () => producer.ProduceAsync("outage", new Message<Null, string> { Value = "during" });
        (await during.Should().ThrowAsync<ProduceException<Null, string>>()).Which.Error.Code.Should().Be(ErrorCode.Local_MsgTimedOut);

        cluster.SetBrokerUp(1);
        (await producer.ProduceAsync("outage", new Message<Null, string> { Value = "after" })).Status.Should().Be(PersistenceStatus.Persisted);
        cluster.BootstrapServers.Should().Be(address, "the relay keeps its port across the outage");
    }

    [Fact]
    public void A_relayed_cluster_disposed_twice_does_not_throw()
    {
        var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 2, ProxyConnections = true });
        cluster.Dispose();

        var again = cluster.Dispose;

        again.Should().NotThrow("Dispose may be called more than once (await using plus an explicit dispose in the fault suite)");
    }
}
