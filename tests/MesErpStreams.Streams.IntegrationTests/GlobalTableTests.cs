using MesErpStreams.Streams.State;
using MesErpStreams.TestUtils;
using Xunit.Abstractions;

namespace MesErpStreams.Streams.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class GlobalTableTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    [Fact]
    public async Task Global_table_is_bootstrapped_before_processing_and_its_updates_release_waiting_events()
    {
        var master = kafka.CreateTopic("gt-master", 2);
        var input = kafka.CreateTopic("gt-in", 1);
        var outputTopic = kafka.CreateTopic("gt-out", 1);
        var dlq = kafka.CreateTopic("gt-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("gt");
        kafka.Cluster.CreateTopic($"{app}-waiting-changelog", 1);
        KafkaTestClient.Produce(kafka.BootstrapServers, master, Enumerable.Range(0, 200).Select(i => ($"M{i}", $"v1-{i}")).Append(("M7", "v2-7")));
        var topology = new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.String, input)
            .AddProcessor("enrich", () => new Enricher(), "events")
            .AddSink("out", outputTopic, Serdes.String, Serdes.String, "enrich")
            .AddStateStore(Stores.InMemory("waiting", Serdes.String, Serdes.String), "enrich")
            .AddGlobalTable("materials", master, Serdes.String, Serdes.String)
            .Build();
        await using var outputs = new OutputCollector(kafka.BootstrapServers, outputTopic);
        KafkaTestClient.Produce(kafka.BootstrapServers, input, [("M7", "e1"), ("M199", "e2"), ("NEW", "e3")]);

        await using var instance = new StreamsInstance(
            topology,
            new StreamsOptions { ApplicationId = app, BootstrapServers = kafka.BootstrapServers, StateDirectory = Path.GetTempPath() },
            new DeadLetterOptions { Topic = dlq },
            new TestOutputLoggerFactory(output, "gt"));
        instance.Start();
        await instance.Running.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => outputs.Count >= 2, TimeSpan.FromSeconds(30), "enriched events");
        outputs.Snapshot().Should().Equal(("M7", "e1:v2-7"), ("M199", "e2:v1-199"));

        KafkaTestClient.Produce(kafka.BootstrapServers, master, [("NEW", "fresh")]);

        await Eventually.TrueAsync(() => outputs.Count >= 3, TimeSpan.FromSeconds(30), "the waiting event released by the master-data update");
        outputs.Snapshot()[2].Should().Be(("NEW", "e3:fresh"));
    }

    private sealed class Enricher : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _context = null!;
        private IReadOnlyKeyValueStore<string, string> _materials = null!;
        private IKeyValueStore<string, string> _waiting = null!;

        public void Init(IProcessorContext<string, string> context)
        {
            _context = context;
            _materials = context.GetStateStore<IReadOnlyKeyValueStore<string, string>>("materials");
            _waiting = context.GetStateStore<IKeyValueStore<string, string>>("waiting");
            context.SubscribeToGlobalTable<string, string>("materials", (key, value) =>
            {
                if (value is not null && _waiting.TryGet(key, out var ev))
                {
                    _waiting.Delete(key);
                    _context.Forward(new Record<string, string>(key, $"{ev}:{value}", context.WallClockTime));
                }
            });
        }

        public void Process(Record<string, string> record)
        {
            if (_materials.TryGet(record.Key, out var material))
            {
                _context.Forward(record with { Value = $"{record.Value}:{material}" });
            }
            else
            {
                _waiting.Put(record.Key, record.Value);
            }
        }

        public void Close()
        {
        }
    }
}
