using MesErpStreams.TestUtils;

namespace MesErpStreams.Streams.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<EmbeddedKafkaFixture>
{
    public const string Name = "streams-embedded-kafka";
}
