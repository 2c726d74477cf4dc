using Confluent.Kafka;
using MesErpStreams.Sink.Internal;

namespace MesErpStreams.Sink.UnitTests;

public sealed class SinkKafkaConfigTests
{
    [Fact]
    public void Sink_consumer_uses_a_10_s_session_unless_configured()
    {
        var c = SinkKafkaConfig.Consumer(new ErpSinkOptions { BootstrapServers = "k:9092" });
        c.SessionTimeoutMs.Should().Be(10_000, "a killed sink stalls the group for its session (eager rebalance)");
        c.HeartbeatIntervalMs.Should().Be(3_000);
        c.PartitionAssignmentStrategy.Should().Be(PartitionAssignmentStrategy.Range);
        c.IsolationLevel.Should().Be(IsolationLevel.ReadCommitted);
    }

    [Fact]
    public void Configured_session_and_heartbeat_win()
    {
        var c = SinkKafkaConfig.Consumer(new ErpSinkOptions
        {
            BootstrapServers = "k:9092",
            Kafka = new() { ["session.timeout.ms"] = "45000" },
            Consumer = new() { ["heartbeat.interval.ms"] = "5000" },
        });
        c.SessionTimeoutMs.Should().Be(45_000);
        c.HeartbeatIntervalMs.Should().Be(5_000);
    }
}
