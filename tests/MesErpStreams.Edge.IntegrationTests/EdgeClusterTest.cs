namespace MesErpStreams.Edge.IntegrationTests;

/// <summary>Base of the edge integration tests: each test gets its own embedded cluster and registry and a scratch directory.</summary>
public abstract class EdgeClusterTest : IAsyncLifetime
{
    /// <summary>Scratch directory of the test (deleted afterwards).</summary>
    protected string Dir { get; } = Path.Combine(Path.GetTempPath(), "meserp-edge-it-" + Guid.NewGuid().ToString("N"));

    /// <summary>The test's cluster and registry.</summary>
    protected EdgeCluster Kafka { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        Kafka = await EdgeCluster.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Kafka.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }
}
