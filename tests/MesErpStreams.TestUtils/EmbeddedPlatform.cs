using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Kafka.Provisioning;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Server;

namespace MesErpStreams.TestUtils;

/// <summary>
/// What most end-to-end tests need: an embedded cluster with the topic catalog applied, an embedded schema registry
/// with every contract schema registered, a registry client, and a state directory removed at the end.
/// </summary>
public sealed class EmbeddedPlatform : IAsyncDisposable
{
    private EmbeddedPlatform(EmbeddedKafkaCluster cluster, EmbeddedSchemaRegistry registry, CachedSchemaRegistryClient client)
    {
        Cluster = cluster;
        Registry = registry;
        Client = client;
    }

    /// <summary>The cluster.</summary>
    public EmbeddedKafkaCluster Cluster { get; }

    /// <summary>The registry server.</summary>
    public EmbeddedSchemaRegistry Registry { get; }

    /// <summary>A client of <see cref="Registry"/>.</summary>
    public CachedSchemaRegistryClient Client { get; }

    /// <summary>Bootstrap servers of <see cref="Cluster"/>.</summary>
    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>URL of <see cref="Registry"/>.</summary>
    public string RegistryUrl => Registry.Url;

    /// <summary>A per-platform directory for state stores, outboxes and ledgers (deleted on dispose).</summary>
    public string StateDirectory { get; } = Path.Combine(Path.GetTempPath(), "meserp-it-" + Guid.NewGuid().ToString("N"));

    /// <summary>Starts everything.</summary>
    /// <param name="brokers">Broker count.</param>
    /// <param name="proxyConnections">Relays in front of the brokers, for tests that take brokers down (<see cref="EmbeddedKafkaClusterOptions.ProxyConnections"/>).</param>
    public static async Task<EmbeddedPlatform> StartAsync(int brokers = 1, bool proxyConnections = false)
    {
        var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = brokers, ProxyConnections = proxyConnections });
        try
        {
            await new EmbeddedTopicProvisioner(cluster).ApplyAsync(TopicCatalog.Default);
            var registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { BootstrapServers = cluster.BootstrapServers, CreateTopic = false });
            var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = registry.Url });
            await ContractSchemaRegistration.RegisterAllAsync(client);
            return new EmbeddedPlatform(cluster, registry, client);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Registry.DisposeAsync();
        Cluster.Dispose();
        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }
}
