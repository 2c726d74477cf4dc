using MesErpStreams.Kafka.Embedded;
using MesErpStreams.TestUtils;
using Xunit.Abstractions;

namespace MesErpStreams.Streams.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class ExactlyOnceTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output) : IDisposable
{
    private readonly List<string> _dirs = [];

    [Fact]
    public async Task Instance_stopped_mid_stream_and_restarted_leaves_exactly_once_output_and_restored_state()
    {
        var input = kafka.CreateTopic("eos-in", 3);
        var outputTopic = kafka.CreateTopic("eos-out", 3);
        var dlq = kafka.CreateTopic("eos-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("eos");
        kafka.Cluster.CreateTopic($"{app}-counts-changelog", 3);
        var logs = new TestOutputLoggerFactory(output, "eos");
        var topology = CountingApp.Build(input, outputTopic, persistent: true);
        var (dirA, dirB) = (NewDir(), NewDir());
        var inputs = Enumerable.Range(0, 3000).Select(i => ($"k{i % 20}", i.ToString())).ToList();
        await using var collector = new OutputCollector(kafka.BootstrapServers, outputTopic);

        var a = CountingApp.Start(topology, app, kafka.BootstrapServers, "a", dirA, dlq, logs);
        await using var b = CountingApp.Start(topology, app, kafka.BootstrapServers, "b", dirB, dlq, logs);
        await Task.WhenAll(a.Running, b.Running).WaitAsync(TimeSpan.FromSeconds(30));
        KafkaTestClient.Produce(kafka.BootstrapServers, input, inputs.Take(1000));
        await Eventually.TrueAsync(() => collector.Count >= 1000, TimeSpan.FromSeconds(30), "first 1000 outputs");

        KafkaTestClient.Produce(kafka.BootstrapServers, input, inputs.Skip(1000).Take(1000));
        await a.DisposeAsync();
        a.State.Should().Be(StreamsState.Stopped);
        await Eventually.TrueAsync(() => collector.Count >= 2000, TimeSpan.FromSeconds(40), "2000 outputs after instance a stopped");

        await using var a2 = CountingApp.Start(topology, app, kafka.BootstrapServers, "a", dirA, dlq, logs);
        await a2.Running.WaitAsync(TimeSpan.FromSeconds(30));
        KafkaTestClient.Produce(kafka.BootstrapServers, input, inputs.Skip(2000));
        await Eventually.TrueAsync(() => collector.Count >= 3000, TimeSpan.FromSeconds(40), "3000 outputs after instance a restarted");
        await Eventually.TrueAsync(() => logs.Lines.Count(l => l.Contains("[eos] Information: Instance a assigned", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(20), "restarted a to get partitions");
        KafkaTestClient.Produce(kafka.BootstrapServers, input, [("k0", "last")]);
        await Eventually.TrueAsync(() => collector.Count >= 3001, TimeSpan.FromSeconds(30), "the final record");

        CountingApp.AssertExactlyOnce(collector.Snapshot(), [.. inputs, ("k0", "last")]);
        logs.Lines.Should().Contain(l => l.Contains("restored", StringComparison.Ordinal), "a task was restored from its changelog");
        b.State.Should().Be(StreamsState.Running);
        a2.State.Should().Be(StreamsState.Running);
    }

    [Fact]
    public async Task Broker_down_and_up_during_processing_still_yields_exactly_once_output()
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 3, ProxyConnections = true });
        cluster.CreateTopic("in", 3, 1);
        cluster.CreateTopic("out", 3, 1);
        cluster.CreateTopic("dlq", 1, 1);
        cluster.CreateTopic("bd-counts-changelog", 3, 1);
        var logs = new TestOutputLoggerFactory(output, "broker");
        var inputs = Enumerable.Range(0, 2000).Select(i => ($"k{i % 10}", i.ToString())).ToList();
        await using var collector = new OutputCollector(cluster.BootstrapServers, "out");
        await using var instance = CountingApp.Start(CountingApp.Build("in", "out", persistent: false), "bd", cluster.BootstrapServers, "one", NewDir(), "dlq", logs);
        await instance.Running.WaitAsync(TimeSpan.FromSeconds(30));

        KafkaTestClient.Produce(cluster.BootstrapServers, "in", inputs.Take(1000));
        await Eventually.TrueAsync(() => collector.Count >= 200, TimeSpan.FromSeconds(30), "processing under way");
        cluster.SetBrokerDown(2);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the outage itself, not synchronisation
        cluster.SetBrokerUp(2);
        KafkaTestClient.Produce(cluster.BootstrapServers, "in", inputs.Skip(1000));
        await Eventually.TrueAsync(() => collector.Count >= 2000, TimeSpan.FromSeconds(60), "all 2000 outputs after the outage");
        await Task.Delay(TimeSpan.FromSeconds(1)); // grace period in which a duplicate would show up

        CountingApp.AssertExactlyOnce(collector.Snapshot(), inputs);
        instance.State.Should().Be(StreamsState.Running);
    }

    [Fact]
    public async Task Instance_whose_producer_is_fenced_mid_stream_replaces_it_and_keeps_exactly_once_output()
    {
        var input = kafka.CreateTopic("fence-in", 3);
        var outputTopic = kafka.CreateTopic("fence-out", 3);
        var dlq = kafka.CreateTopic("fence-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("fence");
        kafka.Cluster.CreateTopic($"{app}-counts-changelog", 3);
        var logs = new TestOutputLoggerFactory(output, "fence");
        var inputs = Enumerable.Range(0, 3000).Select(i => ($"k{i % 10}", i.ToString())).ToList();
        await using var collector = new OutputCollector(kafka.BootstrapServers, outputTopic);
        await using var instance = CountingApp.Start(CountingApp.Build(input, outputTopic, persistent: false), app, kafka.BootstrapServers, "one", NewDir(), dlq, logs);
        await instance.Running.WaitAsync(TimeSpan.FromSeconds(30));
        KafkaTestClient.Produce(kafka.BootstrapServers, input, inputs.Take(1000));
        await Eventually.TrueAsync(() => collector.Count >= 200, TimeSpan.FromSeconds(30), "processing under way");

        // What a transaction timeout does (the coordinator bumps the epoch), done the quick way: a second producer
        // with the instance's transactional id.
        KafkaTestClient.FenceTransactionalId(kafka.BootstrapServers, $"{app}-one");
        KafkaTestClient.Produce(kafka.BootstrapServers, input, inputs.Skip(1000));
        await Eventually.TrueAsync(() => collector.Count >= 3000, TimeSpan.FromSeconds(60), "all 3000 outputs after the fencing");
        await Task.Delay(TimeSpan.FromSeconds(1)); // grace period in which a duplicate would show up

        logs.Lines.Should().Contain(l => l.Contains("fenced", StringComparison.Ordinal) && l.Contains("starting a new producer", StringComparison.Ordinal));
        CountingApp.AssertExactlyOnce(collector.Snapshot(), inputs);
        instance.State.Should().Be(StreamsState.Running);
    }

    [Fact]
    public async Task Instance_fenced_again_and_again_by_a_twin_with_its_instance_id_stops_naming_it()
    {
        var input = kafka.CreateTopic("twin-in", 1);
        var outputTopic = kafka.CreateTopic("twin-out", 1);
        var dlq = kafka.CreateTopic("twin-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("twin");
        kafka.Cluster.CreateTopic($"{app}-counts-changelog", 1);
        var logs = new TestOutputLoggerFactory(output, "twin");
        await using var collector = new OutputCollector(kafka.BootstrapServers, outputTopic);
        await using var instance = CountingApp.Start(CountingApp.Build(input, outputTopic, persistent: false), app, kafka.BootstrapServers, "one", NewDir(), dlq, logs);
        await instance.Running.WaitAsync(TimeSpan.FromSeconds(30));

        for (var round = 1; round <= 10 && instance.State != StreamsState.Failed; round++)
        {
            KafkaTestClient.Produce(kafka.BootstrapServers, input, [("k", round.ToString())]);
            await Eventually.TrueAsync(() => collector.Count >= 1 || instance.State == StreamsState.Failed, TimeSpan.FromSeconds(30), "an output of the first round");
            var fencedBefore = logs.Lines.Count(l => l.Contains("starting a new producer", StringComparison.Ordinal));
            KafkaTestClient.FenceTransactionalId(kafka.BootstrapServers, $"{app}-one");
            KafkaTestClient.Produce(kafka.BootstrapServers, input, [("k", $"{round}b")]);
            await Eventually.TrueAsync(() => instance.State == StreamsState.Failed || logs.Lines.Count(l => l.Contains("starting a new producer", StringComparison.Ordinal)) > fencedBefore,
                TimeSpan.FromSeconds(30), $"fencing round {round} noticed");
        }

        await instance.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        instance.State.Should().Be(StreamsState.Failed);
        instance.FatalError!.Message.Should().Contain($"'{app}-one'").And.Contain($"fenced 4 times").And.Contain("instance id 'one'");
    }

    public void Dispose()
    {
        foreach (var dir in _dirs.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private string NewDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "meserp-it-" + Guid.NewGuid().ToString("N"));
        _dirs.Add(dir);
        return dir;
    }
}
