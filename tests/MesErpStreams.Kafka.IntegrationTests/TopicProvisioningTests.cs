using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Kafka.Provisioning;

namespace MesErpStreams.Kafka.IntegrationTests;

public sealed class TopicProvisioningTests
{
    [Fact]
    public async Task Applying_the_catalog_creates_every_topic_once_and_is_idempotent()
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        var provisioner = new EmbeddedTopicProvisioner(cluster);

        var first = await provisioner.ApplyAsync(TopicCatalog.Default);
        first.Should().OnlyContain(r => r.Action == TopicApplyAction.Created);
        first.Select(r => r.Topic).Should().Equal(TopicCatalog.Default.Topics.Select(t => t.Name));

        var second = await provisioner.ApplyAsync(TopicCatalog.Default);
        second.Should().OnlyContain(r => r.Action == TopicApplyAction.UpToDate);
    }

    [Fact]
    public async Task An_existing_topic_with_other_settings_is_reported_not_accepted()
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        cluster.CreateTopic("erp.posting-commands", partitions: 2);

        var results = await new EmbeddedTopicProvisioner(cluster).ApplyAsync(TopicCatalog.Default);

        var drifted = results.Single(r => r.Topic == "erp.posting-commands");
        drifted.Action.Should().Be(TopicApplyAction.Drifted);
        drifted.Differences.Should().Equal("partitions: catalog 6, cluster 2");
        results.Where(r => r.Topic != "erp.posting-commands").Should().OnlyContain(r => r.Action == TopicApplyAction.Created);
    }

    [Fact]
    public void Creating_a_topic_twice_fails_with_the_broker_error()
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        cluster.CreateTopic("t", 1);
        var act = () => cluster.CreateTopic("t", 1);
        act.Should().Throw<EmbeddedKafkaException>().WithMessage("*create topic 't'*");
    }

    [Fact]
    public void Replication_factor_above_the_broker_count_is_rejected()
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        var act = () => cluster.CreateTopic("t", 1, replicationFactor: 2);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*broker count*");
    }
}
