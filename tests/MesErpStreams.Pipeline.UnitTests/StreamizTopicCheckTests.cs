using Confluent.Kafka;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Pipeline.Engine;
using MesErpStreams.Pipeline.Hosting;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Pipeline.UnitTests;

public sealed class StreamizTopicCheckTests
{
    private static readonly string[] Changelogs =
        [StreamizTopology.ChangelogTopic("app", StreamizTopology.DedupeStore), StreamizTopology.ChangelogTopic("app", StreamizTopology.PendingStore)];

    private static readonly string[] Fixed =
        [T.ProductionConfirmations, T.ScrapReports, T.MaterialConsumptions, T.QualityHolds, T.PostingCommands, T.EventsDeadLetter, T.WorkOrders, T.Materials];

    private static Metadata Cluster(IEnumerable<(string Topic, int Partitions)> topics) => new(
        [new BrokerMetadata(1, "localhost", 9092)],
        topics.Select(t => new TopicMetadata(t.Topic, Enumerable.Range(0, t.Partitions).Select(p => new PartitionMetadata(p, 1, [1], [1], ErrorCode.NoError)).ToList(), ErrorCode.NoError)).ToList(),
        1, "localhost");

    [Fact]
    public void Every_topic_present_with_changelogs_partitioned_like_the_events_passes()
    {
        StreamizTopicCheck.Problems(Cluster(Fixed.Concat(Changelogs).Select(t => (t, 6))), "app").Should().BeEmpty();
    }

    [Fact]
    public void Missing_changelog_is_named()
    {
        var problems = StreamizTopicCheck.Problems(Cluster(Fixed.Append(Changelogs[1]).Select(t => (t, 6))), "app");
        problems.Should().ContainSingle().Which.Should().Be("changelog topic(s) missing: app-dedupe-changelog");
    }

    [Fact]
    public void Changelog_with_another_partition_count_is_named()
    {
        var problems = StreamizTopicCheck.Problems(Cluster(Fixed.Select(t => (t, 6)).Append((Changelogs[0], 6)).Append((Changelogs[1], 4))), "app");
        problems.Should().ContainSingle().Which.Should().Contain("app-pending-events-changelog has 4 partition(s)").And.Contain("(6)");
    }

    [Fact]
    public void Missing_source_topic_is_named()
    {
        var problems = StreamizTopicCheck.Problems(Cluster(Fixed.Skip(1).Concat(Changelogs).Select(t => (t, 6))), "app");
        problems.Should().ContainSingle().Which.Should().Be($"source topic(s) missing: {T.ProductionConfirmations}");
    }

    [Fact]
    public void The_catalog_declares_the_changelogs_of_the_default_application_id()
    {
        var catalog = TopicCatalog.Default.Topics.ToDictionary(t => t.Name);
        foreach (var store in StreamizTopology.ChangelogStores)
        {
            var topic = StreamizTopology.ChangelogTopic(PipelineTopology.DefaultApplicationId, store);
            catalog.Should().ContainKey(topic);
            catalog[topic].Role.Should().Be("changelog");
            catalog[topic].Partitions.Should().Be(catalog[T.ProductionConfirmations].Partitions, "Streamiz needs a changelog partition per task");
        }

        catalog[StreamizTopology.ChangelogTopic(PipelineTopology.DefaultApplicationId, StreamizTopology.DedupeStore)].CleanupPolicy
            .Should().Be("compact", "expired dedupe entries leave by the sweep's tombstones; a delete policy would drop live ones from the restore");
    }
}
