namespace MesErpStreams.Kafka.Embedded;

/// <summary>Settings of an <see cref="EmbeddedKafkaCluster"/>.</summary>
public sealed class EmbeddedKafkaClusterOptions
{
    /// <summary>Number of brokers (1–10). Default 3, so replication factors and broker failures can be exercised.</summary>
    public int BrokerCount { get; set; } = 3;

    /// <summary>
    /// First port of a fixed listen port range: broker N (1-based) is reachable on <c>PortBase + N - 1</c> on
    /// loopback, so tools such as kcat can be pointed at a known address. Null (default) uses ephemeral ports.
    /// </summary>
    public int? PortBase { get; set; }

    /// <summary>
    /// Puts a TCP relay in front of every broker (on an ephemeral port unless <see cref="PortBase"/> is set) and
    /// advertises it, so <see cref="EmbeddedKafkaCluster.SetBrokerDown"/> is done in the relay: client connections are
    /// cut and new ones refused, while the mock broker keeps its listener. Without it, the mock closes and re-binds
    /// the broker's ephemeral port on every outage, and a native assertion aborts the process when another socket has
    /// taken the port in between (seen in CI). Use it for tests that take brokers down. Default false (direct).
    /// </summary>
    public bool ProxyConnections { get; set; }

    /// <summary>
    /// Consumer group initial rebalance delay in milliseconds. librdkafka's mock defaults to 3000 ms like a real
    /// broker; the embedded default is 0 so that tests and the developer loop do not wait for it.
    /// </summary>
    public int GroupInitialRebalanceDelayMs { get; set; }

    /// <summary>librdkafka log level (syslog levels 0–7) of the handle that owns the cluster. Default 3 (errors).</summary>
    public int LogLevel { get; set; } = 3;

    /// <summary>Checks the settings and throws <see cref="ArgumentOutOfRangeException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (BrokerCount is < 1 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(BrokerCount), BrokerCount, "BrokerCount must be between 1 and 10.");
        }

        if (PortBase is { } p && (p < 1024 || p + BrokerCount - 1 > 65535))
        {
            throw new ArgumentOutOfRangeException(nameof(PortBase), PortBase, "PortBase must leave room for every broker within 1024–65535.");
        }

        if (GroupInitialRebalanceDelayMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(GroupInitialRebalanceDelayMs), GroupInitialRebalanceDelayMs, "must not be negative.");
        }

        if (LogLevel is < 0 or > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(LogLevel), LogLevel, "LogLevel must be a syslog level 0–7.");
        }
    }
}
