using MesErpStreams.TestUtils;

namespace MesErpStreams.Replay.IntegrationTests;

/// <summary>Tests sharing one embedded cluster (unique topics per test).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<EmbeddedKafkaFixture>
{
    public const string Name = "replay-cluster";
}
