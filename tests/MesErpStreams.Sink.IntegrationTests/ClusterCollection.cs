using MesErpStreams.TestUtils;

namespace MesErpStreams.Sink.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<EmbeddedKafkaFixture>
{
    public const string Name = "sink-embedded-kafka";
}
