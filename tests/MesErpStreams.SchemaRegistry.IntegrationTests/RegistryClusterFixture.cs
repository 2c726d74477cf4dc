using MesErpStreams.Kafka.Embedded;

namespace MesErpStreams.SchemaRegistry.IntegrationTests;

/// <summary>A three-broker embedded cluster for the collection.</summary>
public sealed class RegistryClusterFixture : IDisposable
{
    public RegistryClusterFixture() => Cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 3 });

    public EmbeddedKafkaCluster Cluster { get; }

    /// <summary>A fresh single-partition schemas topic, so each test has its own registry state.</summary>
    public string CreateSchemasTopic()
    {
        var name = "_schemas-" + Guid.NewGuid().ToString("N")[..10];
        Cluster.CreateTopic(name, 1, 3);
        return name;
    }

    public void Dispose() => Cluster.Dispose();
}

[CollectionDefinition(Name)]
public sealed class RegistryClusterCollection : ICollectionFixture<RegistryClusterFixture>
{
    public const string Name = "registry-cluster";
}
