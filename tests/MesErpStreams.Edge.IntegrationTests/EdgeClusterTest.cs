namespace MesErpStreams.Edge.IntegrationTests;

/// <summary>Base of the edge integration tests: each test gets its own embedded cluster and registry and a scratch directory.</summary>
public abstract class EdgeClusterTest : IAsyncLifetime
{
    /// <summary>Scratch directory of the test (deleted with the platform).</summary>
    protected string Dir => Kafka.ScratchDirectory;

    /// <summary>The test's cluster and registry.</summary>
    protected EdgeCluster Kafka { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Kafka = await EdgeCluster.StartAsync();
        Directory.CreateDirectory(Dir);
    }

    public async Task DisposeAsync() => await Kafka.DisposeAsync();
}
