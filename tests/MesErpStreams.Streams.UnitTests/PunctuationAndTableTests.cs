using MesErpStreams.Streams.State;
using MesErpStreams.Streams.TestUtils;

namespace MesErpStreams.Streams.UnitTests;

public sealed class PunctuationAndTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Wall_clock_punctuation_fires_when_the_time_provider_advances()
    {
        var fired = new List<DateTimeOffset>();
        var topology = new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.String, "events")
            .AddProcessor("tick", () => new LambdaProcessor<string, string, string, string>(
                (_, _) => { },
                c => c.Schedule(TimeSpan.FromSeconds(10), PunctuationType.WallClockTime, t =>
                {
                    fired.Add(t);
                    c.Forward(new Record<string, string>("tick", t.ToString("O"), t));
                })), "events")
            .AddSink("out", "ticks", Serdes.String, Serdes.String, "tick")
            .Build();
        var time = new FakeTimeProvider(T0);
        using var driver = new TopologyTestDriver(topology, new TopologyTestDriverOptions { Time = time });

        driver.AdvanceWallClockTime(TimeSpan.FromSeconds(9));
        fired.Should().BeEmpty();
        driver.AdvanceWallClockTime(TimeSpan.FromSeconds(1));
        driver.AdvanceWallClockTime(TimeSpan.FromSeconds(25));

        fired.Should().Equal(T0.AddSeconds(10), T0.AddSeconds(35));
        driver.ReadAllRaw("ticks").Should().HaveCount(2, "punctuation may forward");
    }

    [Fact]
    public void Stream_time_punctuation_fires_only_as_record_timestamps_advance()
    {
        var fired = new List<DateTimeOffset>();
        var topology = new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.String, "events")
            .AddProcessor("p", () => new LambdaProcessor<string, string, string, string>(
                (_, _) => { },
                c => c.Schedule(TimeSpan.FromMinutes(1), PunctuationType.StreamTime, fired.Add)), "events")
            .AddSink("out", "out", Serdes.String, Serdes.String, "p")
            .Build();
        using var driver = new TopologyTestDriver(topology);
        var input = driver.CreateInputTopic("events", Serdes.String, Serdes.String);

        input.PipeInput("k", "1", T0);
        driver.AdvanceWallClockTime(TimeSpan.FromHours(1));
        input.PipeInput("k", "2", T0.AddSeconds(59));
        fired.Should().BeEmpty();
        input.PipeInput("k", "3", T0.AddSeconds(30));
        input.PipeInput("k", "4", T0.AddSeconds(61));

        fired.Should().Equal(T0.AddSeconds(61));
        driver.StreamTime.Should().Be(T0.AddSeconds(61));
    }

    [Fact]
    public void Global_table_is_readable_and_subscribers_are_told_of_each_changed_key()
    {
        var topology = new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.String, "events")
            .AddProcessor("enrich", () => new EnrichProcessor(), "events")
            .AddSink("out", "enriched", Serdes.String, Serdes.String, "enrich")
            .AddStateStore(Stores.InMemory("waiting", Serdes.String, Serdes.String), "enrich")
            .AddGlobalTable("materials", "master", Serdes.String, Serdes.String)
            .Build();
        using var driver = new TopologyTestDriver(topology);
        var events = driver.CreateInputTopic("events", Serdes.String, Serdes.String);
        var master = driver.CreateInputTopic("master", Serdes.String, Serdes.String);
        var output = driver.CreateOutputTopic("enriched", Serdes.String, Serdes.String);

        master.PipeInput("M1", "steel");
        events.PipeInput("M1", "e1");
        events.PipeInput("M2", "e2");
        output.ReadKeyValuesToList().Should().Equal(new[] { KeyValuePair.Create("M1", "e1:steel") });

        master.PipeInput("M2", "copper");

        output.ReadKeyValuesToList().Should().Equal(new[] { KeyValuePair.Create("M2", "e2:copper") });
        driver.GetKeyValueStore<string, string>("waiting").ApproximateCount.Should().Be(0);
        driver.GetGlobalTable<string, string>("materials").TryGet("M2", out var value).Should().BeTrue();
        value.Should().Be("copper");
    }

    [Fact]
    public void Persistent_store_keeps_committed_state_and_checkpoint_across_driver_restarts()
    {
        var dir = Path.Combine(Path.GetTempPath(), "meserp-ut-" + Guid.NewGuid().ToString("N"));
        try
        {
            Topology Build() => new TopologyBuilder()
                .AddSource("events", Serdes.String, Serdes.String, "events")
                .AddProcessor("count", () => new CountingProcessor("counts"), "events")
                .AddSink("out", "counts", Serdes.String, Serdes.Int64, "count")
                .AddStateStore(Stores.Persistent("counts", Serdes.String, Serdes.Int64), "count")
                .Build();
            var options = new TopologyTestDriverOptions { StateDirectory = dir };
            using (var first = new TopologyTestDriver(Build(), options))
            {
                var input = first.CreateInputTopic("events", Serdes.String, Serdes.String);
                input.PipeInput("a", "1");
                input.PipeInput("a", "2");
            }

            using var second = new TopologyTestDriver(Build(), options);
            second.CreateInputTopic("events", Serdes.String, Serdes.String).PipeInput("a", "3");

            second.CreateOutputTopic("counts", Serdes.String, Serdes.Int64).ReadRecord().Value.Should().Be(3);
            File.Exists(Path.Combine(dir, "test-app", "0", "counts.db")).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Holds events until their material is in the global table; released by the change subscription.</summary>
    private sealed class EnrichProcessor : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _context = null!;
        private IReadOnlyKeyValueStore<string, string> _materials = null!;
        private IKeyValueStore<string, string> _waiting = null!;

        public void Init(IProcessorContext<string, string> context)
        {
            _context = context;
            _materials = context.GetStateStore<IReadOnlyKeyValueStore<string, string>>("materials");
            _waiting = context.GetStateStore<IKeyValueStore<string, string>>("waiting");
            context.SubscribeToGlobalTable<string, string>("materials", (key, material) =>
            {
                if (material is not null && _waiting.TryGet(key, out var ev))
                {
                    _waiting.Delete(key);
                    _context.Forward(new Record<string, string>(key, $"{ev}:{material}", context.WallClockTime));
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
