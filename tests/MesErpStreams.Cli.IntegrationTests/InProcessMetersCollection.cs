namespace MesErpStreams.Cli.IntegrationTests;

/// <summary>
/// Tests that record on meters named like the pipeline's and the sink's: a <c>RunMetrics</c> listens to every meter of
/// that name in the process, so these tests must not run in parallel with each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessMetersCollection
{
    public const string Name = "in-process meters";
}
