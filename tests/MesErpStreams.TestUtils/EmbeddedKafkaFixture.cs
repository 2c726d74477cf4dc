using MesErpStreams.Kafka.Embedded;

namespace MesErpStreams.TestUtils;

/// <summary>
/// One embedded cluster per test collection (xunit <c>ICollectionFixture</c>). Tests use <see cref="UniqueName"/>
/// for their topics and groups so they never see each other's data.
/// </summary>
public sealed class EmbeddedKafkaFixture : IDisposable
{
    /// <summary>Starts a three-broker cluster behind relays, so tests can take brokers down safely (see <see cref="EmbeddedKafkaClusterOptions.ProxyConnections"/>).</summary>
    public EmbeddedKafkaFixture() => Cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 3, ProxyConnections = true });

    /// <summary>The running cluster.</summary>
    public EmbeddedKafkaCluster Cluster { get; }

    /// <summary>Bootstrap servers of <see cref="Cluster"/>.</summary>
    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>Creates a topic with a unique name and returns the name.</summary>
    public string CreateTopic(string prefix, int partitions = 3, int replicationFactor = 1)
    {
        var name = UniqueName(prefix);
        Cluster.CreateTopic(name, partitions, replicationFactor);
        return name;
    }

    /// <summary>A name unique within the process: <c>prefix-xxxxxxxx</c>.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <inheritdoc />
    public void Dispose() => Cluster.Dispose();
}
