using MesErpStreams.TestUtils;

namespace MesErpStreams.Kafka.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<EmbeddedKafkaFixture>
{
    public const string Name = "embedded-kafka";
}
