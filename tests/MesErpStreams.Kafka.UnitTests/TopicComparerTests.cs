using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Provisioning;

namespace MesErpStreams.Kafka.UnitTests;

public sealed class TopicComparerTests
{
    private static readonly TopicSpec Spec = new("t", "event", 6, 3, "delete", 1000, 2, "d");

    private static Dictionary<string, string> Configs(string cleanup = "delete", string retention = "1000", string minIsr = "2") =>
        new() { ["cleanup.policy"] = cleanup, ["retention.ms"] = retention, ["min.insync.replicas"] = minIsr, ["segment.bytes"] = "1" };

    [Fact]
    public void Matching_topic_has_no_differences() =>
        TopicComparer.Differences(Spec, new TopicState("t", 6, 3, Configs()), brokerCount: 3).Should().BeEmpty();

    [Fact]
    public void Partition_count_drift_is_reported() =>
        TopicComparer.Differences(Spec, new TopicState("t", 3, 3, Configs()), 3).Should().Equal("partitions: catalog 6, cluster 3");

    [Fact]
    public void Config_drift_is_reported_per_setting() =>
        TopicComparer.Differences(Spec, new TopicState("t", 6, 3, Configs(cleanup: "compact", retention: "5")), 3)
            .Should().BeEquivalentTo("cleanup.policy: catalog delete, cluster compact", "retention.ms: catalog 1000, cluster 5");

    [Fact]
    public void Replication_factor_is_clamped_to_the_broker_count()
    {
        TopicComparer.Differences(Spec, new TopicState("t", 6, 1, Configs(minIsr: "1")), brokerCount: 1).Should().BeEmpty();
        TopicComparer.EffectiveConfigs(Spec, 1)["min.insync.replicas"].Should().Be("1");
        TopicComparer.Differences(Spec, new TopicState("t", 6, 1, Configs()), brokerCount: 3)
            .Should().Equal("replication factor: catalog 3, cluster 1");
    }

    [Fact]
    public void Configs_are_not_compared_when_the_cluster_cannot_describe_them() =>
        TopicComparer.Differences(Spec, new TopicState("t", 6, 3, null), 3).Should().BeEmpty();
}
