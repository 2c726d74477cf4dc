using MesErpStreams.Avro.Compatibility;
using MesErpStreams.Kafka.Embedded;

namespace MesErpStreams.SchemaRegistry.Server.Internal.Governance;

/// <summary>
/// An embedded cluster and registry seeded with earlier versions of <c>schemas/</c> (oldest first), so a CI job
/// can check the working tree against history without any server.
/// </summary>
internal sealed class BaselineRegistry : IAsyncDisposable
{
    private readonly EmbeddedKafkaCluster cluster;
    private readonly EmbeddedSchemaRegistry registry;

    private BaselineRegistry(EmbeddedKafkaCluster cluster, EmbeddedSchemaRegistry registry)
    {
        this.cluster = cluster;
        this.registry = registry;
    }

    public string Url => registry.Url;

    public static async Task<BaselineRegistry> StartAsync(
        IReadOnlyList<string> baselineDirs, SubjectNameStrategy strategy, CompatibilityLevel level, TextWriter output, CancellationToken ct)
    {
        var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        EmbeddedSchemaRegistry? registry = null;
        try
        {
            cluster.CreateTopic("_schemas", 1, 1);
            registry = await EmbeddedSchemaRegistry.StartAsync(
                new EmbeddedSchemaRegistryOptions { BootstrapServers = cluster.BootstrapServers, CreateTopic = false }, ct);
            using var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = registry.Url });

            // History is replayed as it was accepted: no checks while seeding, then the level under test.
            await client.SetCompatibilityAsync(null, CompatibilityLevel.None, ct);
            foreach (var dirPath in baselineDirs)
            {
                var dir = SchemaDirectory.Load(dirPath);
                if (dir.Schemas.Count == 0)
                {
                    await output.WriteLineAsync($"baseline: {dirPath}: no schemas");
                    continue;
                }

                var count = 0;
                foreach (var (subject, _, schema) in dir.Subjects(strategy))
                {
                    await client.RegisterSchemaAsync(subject, schema.ToJson(), ct);
                    count++;
                }

                await output.WriteLineAsync($"baseline: {dirPath}: {dir.Schemas.Count} schema files, {count} subjects seeded"
                    + (dir.Problems.Count > 0 ? $" ({dir.Problems.Count} problem(s) in that version ignored)" : ""));
            }

            await client.SetCompatibilityAsync(null, level, ct);
            return new BaselineRegistry(cluster, registry);
        }
        catch
        {
            if (registry is not null)
            {
                await registry.DisposeAsync();
            }

            cluster.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await registry.DisposeAsync();
        cluster.Dispose();
    }
}
