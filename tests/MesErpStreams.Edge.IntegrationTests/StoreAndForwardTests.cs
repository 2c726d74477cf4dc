using MesErpStreams.TestUtils;

namespace MesErpStreams.Edge.IntegrationTests;

public sealed class StoreAndForwardTests : EdgeClusterTest
{
    [Fact]
    public async Task Edge_killed_while_kafka_is_down_forwards_every_accepted_event_exactly_once_after_restart()
    {
        var events = EdgeCluster.SampleEvents(1200);
        var input = Path.Combine(Dir, "events.jsonl");
        var lines = events.Select(MesEventJson.Format).ToList();
        lines.Insert(17, "{\"type\":\"ProductionConfirmation\",\"plant\":\"1000\"}");
        lines.Insert(600, "not json");
        await File.WriteAllLinesAsync(input, lines);
        var empty = Path.Combine(Dir, "empty.jsonl");
        await File.WriteAllTextAsync(empty, string.Empty);
        var outbox = Path.Combine(Dir, "outbox.db");
        string[] common = ["--bootstrap-servers", Kafka.Cluster.BootstrapServers, "--schema-registry-url", Kafka.Registry.Url, "--outbox", outbox, "--batch-size", "100"];

        Kafka.Cluster.SetBrokerDown(1);
        await using (var edge = MeserpProcess.Start(["edge", "publish", input, .. common]))
        {
            await Eventually.TrueAsync(() => edge.Stderr.Contains("accepted 1200 events, rejected 2 lines", StringComparison.Ordinal) || edge.HasExited,
                TimeSpan.FromSeconds(60), "the edge accepts the input while Kafka is down");
            edge.HasExited.Should().BeFalse("the edge waits for Kafka instead of exiting: " + edge.Stderr);
            edge.Stderr.Should().Contain("events.jsonl:18: rejected").And.Contain("events.jsonl:601: rejected");
        } // DisposeAsync kills the process (SIGKILL): a crash with everything still in the outbox.

        Kafka.Cluster.SetBrokerUp(1);
        var (exit, _, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(120), ["edge", "publish", empty, "--drain-timeout", "90s", .. common]);
        exit.Should().Be(0, stderr);
        stderr.Should().Contain("holds 1200 events from an earlier run").And.Contain("outbox empty");

        var onTopic = Kafka.ReadEvents(events.Count, TimeSpan.FromSeconds(60));
        onTopic.Select(r => r.EventId).Should().OnlyHaveUniqueItems("forwarded exactly once");
        onTopic.Select(r => r.EventId).Should().BeEquivalentTo(events.Select(e => EdgeEvent.From(e).EventId));
        foreach (var byKey in onTopic.GroupBy(r => (r.Topic, r.Key)))
        {
            byKey.Select(r => r.Seq).Should().BeInAscendingOrder($"{byKey.Key} keeps acceptance order");
        }
    }

    [Fact]
    public async Task Edge_killed_while_forwarding_loses_nothing_and_duplicates_nothing()
    {
        var events = EdgeCluster.SampleEvents(3000);
        var input = Path.Combine(Dir, "events.jsonl");
        await File.WriteAllLinesAsync(input, events.Select(MesEventJson.Format));
        var empty = Path.Combine(Dir, "empty.jsonl");
        await File.WriteAllTextAsync(empty, string.Empty);
        var outbox = Path.Combine(Dir, "outbox.db");
        string[] common = ["--bootstrap-servers", Kafka.Cluster.BootstrapServers, "--schema-registry-url", Kafka.Registry.Url, "--outbox", outbox, "--batch-size", "50"];

        // A slow broker stretches forwarding (60 transactions) over many seconds, so the kill lands in the middle of it.
        Kafka.Cluster.SetRoundTripTime(1, TimeSpan.FromMilliseconds(100));
        await using (var edge = MeserpProcess.Start(["edge", "publish", input, .. common]))
        {
            await Eventually.TrueAsync(() => edge.Stderr.Contains("accepted 3000 events", StringComparison.Ordinal) || edge.HasExited,
                TimeSpan.FromSeconds(60), "the edge accepts the input");
            await Eventually.TrueAsync(() => Kafka.ReadEvents(1, TimeSpan.FromSeconds(5)).Count > 0, TimeSpan.FromSeconds(60), "some batches are committed");
        } // SIGKILL mid-forwarding.

        Kafka.Cluster.SetRoundTripTime(1, TimeSpan.Zero);
        var beforeRestart = Kafka.ReadEvents(events.Count, TimeSpan.FromSeconds(5)).Count;
        beforeRestart.Should().BeInRange(1, events.Count - 1, "the edge was killed while forwarding");

        var (exit, _, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(120), ["edge", "publish", empty, "--drain-timeout", "90s", .. common]);
        exit.Should().Be(0, stderr);
        var onTopic = Kafka.ReadEvents(events.Count, TimeSpan.FromSeconds(60));
        onTopic.Select(r => r.EventId).Distinct().Should().BeEquivalentTo(events.Select(e => EdgeEvent.From(e).EventId), "nothing accepted is lost");

        // The kill leaves a Kafka transaction open; the restart fences it (aborted) and sends that batch again. The
        // embedded cluster hides the aborted copies from read_committed readers, as a real broker does.
        onTopic.Select(r => r.EventId).Should().OnlyHaveUniqueItems("nothing is forwarded twice");
        onTopic.Should().HaveCount(events.Count);
        foreach (var byKey in onTopic.GroupBy(r => (r.Topic, r.Key)))
        {
            byKey.Select(r => r.Seq).Should().BeInAscendingOrder($"{byKey.Key} keeps acceptance order");
        }
    }

    [Fact]
    public async Task Full_outbox_refuses_with_a_clear_error_and_keeps_what_it_accepted()
    {
        var events = EdgeCluster.SampleEvents(50);
        var input = Path.Combine(Dir, "events.jsonl");
        await File.WriteAllLinesAsync(input, events.Select(MesEventJson.Format));
        Kafka.Cluster.SetBrokerDown(1);
        var (exit, _, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(60), ["edge", "publish", input,
            "--bootstrap-servers", Kafka.Cluster.BootstrapServers, "--schema-registry-url", Kafka.Registry.Url,
            "--outbox", Path.Combine(Dir, "outbox.db"), "--outbox-max-events", "30", "--batch-size", "20"]);
        exit.Should().Be(4, stderr);
        stderr.Should().Contain("edge outbox is full").And.Contain("accepted 30 events");
    }
}
