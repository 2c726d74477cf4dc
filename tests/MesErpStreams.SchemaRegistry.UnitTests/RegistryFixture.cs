using MesErpStreams.Kafka.Embedded;
using MesErpStreams.SchemaRegistry.Server;

namespace MesErpStreams.SchemaRegistry.UnitTests;

/// <summary>One embedded cluster + embedded registry + client for the collection; tests use unique subjects.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private EmbeddedKafkaCluster? cluster;

    public EmbeddedSchemaRegistry Registry { get; private set; } = null!;

    public CachedSchemaRegistryClient Client { get; private set; } = null!;

    public string Url => Registry.Url;

    public async Task InitializeAsync()
    {
        cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        cluster.CreateTopic("_schemas", 1, 1);
        Registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { BootstrapServers = cluster.BootstrapServers, CreateTopic = false });
        Client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = Registry.Url, MaxRetries = 1 });
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Registry.DisposeAsync();
        cluster?.Dispose();
    }

    public static string Subject(string prefix = "s") => $"{prefix}-{Guid.NewGuid():N}-value";
}

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "registry";
}
