using System.Text;
using Confluent.Kafka;
using MesErpStreams.Streams.State;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.IntegrationTests;

/// <summary>
/// The test application: counts records per key in a change-logged store and emits "count:value". With inputs
/// numbered per key, the output of each key must be 1:v1, 2:v2, ... — any lost state, skipped input or duplicate
/// output breaks the sequence.
/// </summary>
internal static class CountingApp
{
    public static Topology Build(string input, string output, bool persistent, IDeserializer<string>? values = null) => new TopologyBuilder()
        .AddSource("in", Serdes.String, Serdes.From<string>(null, values ?? new StrictUtf8()), input)
        .AddProcessor("count", () => new Counter(), "in")
        .AddSink("out", output, Serdes.String, Serdes.String, "count")
        .AddStateStore(persistent ? Stores.Persistent("counts", Serdes.String, Serdes.Int64) : Stores.InMemory("counts", Serdes.String, Serdes.Int64), "count")
        .Build();

    public static StreamsInstance Start(Topology topology, string app, string bootstrap, string instanceId, string stateDir, string dlq, ILoggerFactory logs,
        Func<Exception, bool>? transientErrors = null)
    {
        var instance = new StreamsInstance(
            topology,
            new StreamsOptions
            {
                ApplicationId = app,
                BootstrapServers = bootstrap,
                InstanceId = instanceId,
                StateDirectory = stateDir,
                Kafka = { ["session.timeout.ms"] = "6000", ["heartbeat.interval.ms"] = "500", ["topic.metadata.refresh.interval.ms"] = "1000" },
            },
            new DeadLetterOptions { Topic = dlq, TransientErrors = transientErrors },
            logs);
        instance.Start();
        return instance;
    }

    /// <summary>Checks that every key's outputs are exactly 1:v1, 2:v2, ... for the values produced for it, in order.</summary>
    public static void AssertExactlyOnce(List<(string Key, string Value)> outputs, List<(string Key, string Value)> inputs)
    {
        var expected = inputs.GroupBy(i => i.Key).ToDictionary(g => g.Key, g => g.Select((r, n) => $"{n + 1}:{r.Value}").ToList());
        var actual = outputs.GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.Select(r => r.Value).ToList());
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        var problems = expected
            .Select(kv => (kv.Key, Missing: kv.Value.Except(actual[kv.Key]).ToList(), Extra: actual[kv.Key].Except(kv.Value).ToList(), Dups: actual[kv.Key].Count - actual[kv.Key].Distinct().Count()))
            .Where(p => p.Missing.Count > 0 || p.Extra.Count > 0 || p.Dups > 0)
            .Select(p => $"{p.Key}: {p.Missing.Count} missing [{string.Join(",", p.Missing.Take(4))}...] {p.Extra.Count} extra [{string.Join(",", p.Extra.Take(4))}...] duplicates {p.Dups}")
            .Take(4)
            .ToList();
        problems.Should().BeEmpty();
        foreach (var (key, values) in expected)
        {
            actual[key].Should().Equal(values, $"key {key} must see each input exactly once with its restored count");
        }
    }

    private sealed class Counter : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _context = null!;
        private IKeyValueStore<string, long> _counts = null!;

        public void Init(IProcessorContext<string, string> context)
        {
            _context = context;
            _counts = context.GetStateStore<IKeyValueStore<string, long>>("counts");
        }

        public void Process(Record<string, string> record)
        {
            if (record.Value == "boom")
            {
                throw new InvalidOperationException("poison value");
            }

            var count = (_counts.TryGet(record.Key, out var c) ? c : 0) + 1;
            _counts.Put(record.Key, count);
            _context.Forward(record with { Value = $"{count}:{record.Value}" });
        }

        public void Close()
        {
        }
    }

    private sealed class StrictUtf8 : IDeserializer<string>
    {
        private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

        public string Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? throw new InvalidDataException("null value") : Strict.GetString(data);
    }
}
