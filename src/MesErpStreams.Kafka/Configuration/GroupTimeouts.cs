using Confluent.Kafka;

namespace MesErpStreams.Kafka.Configuration;

/// <summary>
/// Group-membership timeouts of the product's long-running consumer groups (the ERP sink; the streams runtime keeps
/// the same defaults). A member killed without leaving its group holds its partitions until its session times out,
/// and with the eager protocol a member that restarts meanwhile triggers a rebalance that waits for the dead one too:
/// the whole group stalls for the session timeout. The fault suite measured 45–47 s of stall per <c>kill -9</c> with
/// librdkafka's 45 s default. librdkafka heartbeats from its own thread, independent of the processing loop (that is
/// bounded by <c>max.poll.interval.ms</c>), so 10 s only expires for a process or network that is really gone.
/// Set either through <c>--kafka-property</c> to override; on a real broker, static membership
/// (<c>group.instance.id</c> per instance) avoids the rebalance for a restart within the session.
/// </summary>
public static class GroupTimeouts
{
    /// <summary>Default <c>session.timeout.ms</c>.</summary>
    public const int SessionTimeoutMs = 10_000;

    /// <summary>Default <c>heartbeat.interval.ms</c> (a third of the session, as Kafka recommends).</summary>
    public const int HeartbeatIntervalMs = 3_000;

    /// <summary>Sets the defaults where the configuration does not set them already.</summary>
    /// <param name="config">A consumer configuration.</param>
    public static void Apply(ConsumerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.SessionTimeoutMs ??= SessionTimeoutMs;
        config.HeartbeatIntervalMs ??= HeartbeatIntervalMs;
    }
}
