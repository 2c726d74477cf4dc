using MesErpStreams.Streams.State;
using MesErpStreams.TestUtils;
using Xunit.Abstractions;

namespace MesErpStreams.Streams.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class RestoreBeforeInitTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    [Fact]
    public async Task A_processor_initialised_on_a_new_instance_sees_its_store_restored_from_the_changelog()
    {
        var input = kafka.CreateTopic("rbi-in", 1);
        var outputTopic = kafka.CreateTopic("rbi-out", 1);
        var dlq = kafka.CreateTopic("rbi-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("rbi");
        kafka.Cluster.CreateTopic($"{app}-seen-changelog", 1);
        var topology = new TopologyBuilder()
            .AddSource("in", Serdes.String, Serdes.String, input)
            .AddProcessor("index", () => new IndexingProcessor(), "in")
            .AddSink("out", outputTopic, Serdes.String, Serdes.String, "index")
            .AddStateStore(Stores.InMemory("seen", Serdes.String, Serdes.Int64), "index")
            .Build();
        var logs = new TestOutputLoggerFactory(output, "rbi");
        await using var collector = new OutputCollector(kafka.BootstrapServers, outputTopic);

        await using (var first = CountingApp.Start(topology, app, kafka.BootstrapServers, "a", Path.GetTempPath(), dlq, logs))
        {
            await first.Running.WaitAsync(TimeSpan.FromSeconds(30));
            KafkaTestClient.Produce(kafka.BootstrapServers, input, [("k1", "x"), ("k2", "x"), ("k3", "x")]);
            await Eventually.TrueAsync(() => collector.Count >= 3, TimeSpan.FromSeconds(30), "the first three outputs");
        }

        // A new instance (another instance id, an in-memory store: everything comes from the changelog).
        await using var second = CountingApp.Start(topology, app, kafka.BootstrapServers, "b", Path.GetTempPath(), dlq, logs);
        await second.Running.WaitAsync(TimeSpan.FromSeconds(30));
        KafkaTestClient.Produce(kafka.BootstrapServers, input, [("k2", "y"), ("k4", "y")]);
        await Eventually.TrueAsync(() => collector.Count >= 5, TimeSpan.FromSeconds(60), "the outputs of the second instance");

        collector.Snapshot().Skip(3).Should().Equal(
            [("k2", "known at init: 3; k2 seen before"), ("k4", "known at init: 3; k4 new")],
            "the processor's Init must run after the restoration of its store");
    }

    [Fact]
    public async Task After_an_aborted_transaction_processors_start_again_from_the_committed_stores()
    {
        var input = kafka.CreateTopic("rbi2-in", 1);
        var outputTopic = kafka.CreateTopic("rbi2-out", 1);
        var dlq = kafka.CreateTopic("rbi2-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("rbi2");
        kafka.Cluster.CreateTopic($"{app}-seen-changelog", 1);
        var topology = new TopologyBuilder()
            .AddSource("in", Serdes.String, Serdes.From<string>(null, new FailsOnceOn("boom")), input)
            .AddProcessor("index", () => new IndexingProcessor(), "in")
            .AddSink("out", outputTopic, Serdes.String, Serdes.String, "index")
            .AddStateStore(Stores.InMemory("seen", Serdes.String, Serdes.Int64), "index")
            .Build();
        await using var collector = new OutputCollector(kafka.BootstrapServers, outputTopic);
        await using var instance = new StreamsInstance(topology, new StreamsOptions
        {
            ApplicationId = app,
            BootstrapServers = kafka.BootstrapServers,
            InstanceId = "a",
            StateDirectory = Path.GetTempPath(),
            CommitInterval = TimeSpan.FromSeconds(5), // k1 and the failing record in one transaction
        }, new DeadLetterOptions { Topic = dlq, TransientErrors = e => e is TimeoutException }, new TestOutputLoggerFactory(output, "rbi2"));
        instance.Start();
        await instance.Running.WaitAsync(TimeSpan.FromSeconds(30));

        // k1 is indexed and stored, then "boom" fails for a passing reason: the transaction (k1's store write
        // included) is aborted and both are processed again.
        KafkaTestClient.Produce(kafka.BootstrapServers, input, [("k1", "x"), ("k2", "boom")]);
        await Eventually.TrueAsync(() => collector.Count >= 2, TimeSpan.FromSeconds(60), "both outputs after the retry");
        await Task.Delay(TimeSpan.FromSeconds(1)); // grace period in which an extra output would show up

        collector.Snapshot().Should().Equal([("k1", "k1 new"), ("k2", "k2 new")], "the aborted transaction's index entry must be forgotten with its store write");
    }

    /// <summary>UTF-8 values; the first read of <c>poison</c> fails with a TimeoutException (a passing failure).</summary>
    private sealed class FailsOnceOn(string poison) : Confluent.Kafka.IDeserializer<string>
    {
        private int _failed;

        public string Deserialize(ReadOnlySpan<byte> data, bool isNull, Confluent.Kafka.SerializationContext context)
        {
            var text = System.Text.Encoding.UTF8.GetString(data);
            return text == poison && Interlocked.Exchange(ref _failed, 1) == 0 ? throw new TimeoutException("away for a moment") : text;
        }
    }

    /// <summary>Builds an in-memory index of its store in Init, as the pipeline's pending index does.</summary>
    private sealed class IndexingProcessor : IProcessor<string, string, string, string>
    {
        private readonly HashSet<string> _index = [];
        private IProcessorContext<string, string> _context = null!;
        private IKeyValueStore<string, long> _seen = null!;
        private int _knownAtInit;

        public void Init(IProcessorContext<string, string> context)
        {
            _context = context;
            _seen = context.GetStateStore<IKeyValueStore<string, long>>("seen");
            foreach (var entry in _seen.All())
            {
                _index.Add(entry.Key);
            }

            _knownAtInit = _index.Count;
        }

        public void Process(Record<string, string> record)
        {
            var known = _index.Contains(record.Key);
            _index.Add(record.Key);
            _seen.Put(record.Key, 1);
            var first = _knownAtInit > 0 ? $"known at init: {_knownAtInit}; " : string.Empty;
            _context.Forward(record with { Value = $"{first}{record.Key} {(known ? "seen before" : "new")}" });
        }

        public void Close()
        {
        }
    }
}
