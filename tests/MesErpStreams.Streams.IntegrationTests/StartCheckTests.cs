using MesErpStreams.TestUtils;
using Xunit.Abstractions;

namespace MesErpStreams.Streams.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class StartCheckTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    [Fact]
    public async Task An_instance_whose_changelog_topic_is_missing_fails_at_start_naming_it()
    {
        var input = kafka.CreateTopic("sc-in", 2);
        var outputTopic = kafka.CreateTopic("sc-out", 1);
        var dlq = kafka.CreateTopic("sc-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("sc");
        await using var instance = CountingApp.Start(CountingApp.Build(input, outputTopic, persistent: false), app, kafka.BootstrapServers, "p",
            Path.GetTempPath(), dlq, new TestOutputLoggerFactory(output, "sc"));

        var failed = async () => await instance.Running.WaitAsync(TimeSpan.FromSeconds(20));

        (await failed.Should().ThrowAsync<TopologyException>()).Which.Message.Should().Contain($"{app}-counts-changelog").And.Contain("changelog");
        await instance.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        instance.State.Should().Be(StreamsState.Failed);
    }

    [Fact]
    public async Task An_instance_whose_changelog_has_fewer_partitions_than_its_tasks_fails_at_start_naming_it()
    {
        var input = kafka.CreateTopic("sc2-in", 3);
        var outputTopic = kafka.CreateTopic("sc2-out", 1);
        var dlq = kafka.CreateTopic("sc2-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("sc2");
        kafka.Cluster.CreateTopic($"{app}-counts-changelog", 1);
        await using var instance = CountingApp.Start(CountingApp.Build(input, outputTopic, persistent: false), app, kafka.BootstrapServers, "p",
            Path.GetTempPath(), dlq, new TestOutputLoggerFactory(output, "sc2"));

        var failed = async () => await instance.Running.WaitAsync(TimeSpan.FromSeconds(20));

        (await failed.Should().ThrowAsync<TopologyException>()).Which.Message.Should().Contain($"{app}-counts-changelog has 1 partition(s), fewer than the 3 tasks");
    }

    [Fact]
    public async Task An_instance_whose_sink_and_dead_letter_topics_are_missing_fails_at_start_naming_both()
    {
        var input = kafka.CreateTopic("sc3-in", 1);
        var app = EmbeddedKafkaFixture.UniqueName("sc3");
        kafka.Cluster.CreateTopic($"{app}-counts-changelog", 1);
        var missingOut = EmbeddedKafkaFixture.UniqueName("sc3-out-missing");
        var missingDlq = EmbeddedKafkaFixture.UniqueName("sc3-dlq-missing");
        await using var instance = CountingApp.Start(CountingApp.Build(input, missingOut, persistent: false), app, kafka.BootstrapServers, "p",
            Path.GetTempPath(), missingDlq, new TestOutputLoggerFactory(output, "sc3"));

        var failed = async () => await instance.Running.WaitAsync(TimeSpan.FromSeconds(20));

        var message = (await failed.Should().ThrowAsync<TopologyException>()).Which.Message;
        message.Should().Contain($"sink topic(s) missing: {missingOut}").And.Contain($"dead-letter topic(s) missing: {missingDlq}");
    }
}
