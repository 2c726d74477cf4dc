using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using MesErpStreams.Pipeline;
using MesErpStreams.Sink;

namespace MesErpStreams.Observability.UnitTests;

/// <summary>
/// Records every instrument of the product's real meters (streams, pipeline, sink, edge, consumer lag, reconciliation) through the
/// components' own internal metric classes, so an exposition under test has the real names, units and tags.
/// Reflection is used because those classes are internal to their projects; a renamed method or meter fails loudly.
/// </summary>
internal sealed class RealInstruments : IAsyncDisposable
{
    private readonly List<(object Instance, MethodInfo[] Methods)> _targets = [];
    private readonly List<object> _owned = [];
    private readonly FieldInfo[] _pipelineFields = typeof(PipelineMetrics).GetFields(BindingFlags.NonPublic | BindingFlags.Static);
    private readonly Type _engineMetrics = typeof(PipelineMetrics).Assembly.GetType("MesErpStreams.Pipeline.Engine.EngineMetrics", throwOnError: true)!;
    private readonly string _edgeDir = Path.Combine(Path.GetTempPath(), "meserp-obs-edge-" + Guid.NewGuid().ToString("N"));
    private readonly ConsumerLagMonitor _lag = new("meserp-sink");
    private readonly ConsumerLagMonitor _processorLag = new("meserp-processor");
    private object? _edgeMetrics;
    private int _round;

    private RealInstruments()
    {
    }

    public static async Task<RealInstruments> StartAsync()
    {
        var r = new RealInstruments();
        Func<IEnumerable<Measurement<long>>> entries = () => [new(3, new("store", "pending-events"), new("task", "0-1"))];
        r._engineMetrics.GetMethod("TrackStores", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [r, entries]);
        Func<int> circuit = () => 0;
        Func<DateTimeOffset?> unavailableSince = () => null;
        r.Add(typeof(SinkTelemetry).Assembly, "MesErpStreams.Sink.Internal.SinkMetrics", [circuit, unavailableSince]);
        await r.StartEdgeAsync();
        var track = typeof(PipelineMetrics).GetMethod("TrackOldest", BindingFlags.NonPublic | BindingFlags.Static)!;
        track.Invoke(null, [r, "0-1", (Func<long?>)(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 5000)]);
        r.RecordAll();
        return r;
    }

    /// <summary>Records one more measurement on every instrument (call repeatedly for non-zero rates).</summary>
    public void RecordAll()
    {
        _round++;
        foreach (var (instance, methods) in _targets)
        {
            foreach (var method in methods)
            {
                method.Invoke(instance, method.GetParameters().Select(p => Sample(p.ParameterType, p.Name!)).ToArray());
            }
        }

        Field<Counter<long>>("Events").Add(1, new("type", "ScrapReport"), new("plant", "P100"), new("outcome", "command"));
        Field<Counter<long>>("Duplicates").Add(1, new("type", "ScrapReport"), new("plant", "P100"));
        Field<Counter<long>>("DeadLetters").Add(1, new("type", "ScrapReport"), new("plant", "P100"), new("reason", "unknown_work_order"));
        Field<Counter<long>>("Commands").Add(1, new KeyValuePair<string, object?>("command_type", "GoodsMovement"));
        Field<UpDownCounter<long>>("Pending").Add(_round % 2 == 1 ? 1 : -1);
        Field<Histogram<double>>("PendingWait").Record(1.5);

        // The Streamiz engine's own instruments, with the tags the transformer and the restore listener give them.
        EngineField<Counter<long>>("Consumed").Add(1, new KeyValuePair<string, object?>("topic", "mes.events.scrap-reports"));
        EngineField<Counter<long>>("Produced").Add(1, new KeyValuePair<string, object?>("topic", "erp.posting-commands"));
        EngineField<Counter<long>>("DeadLettered").Add(1, new KeyValuePair<string, object?>("stage", "deserialize"));
        EngineField<Counter<long>>("Restored").Add(10, new KeyValuePair<string, object?>("store", "dedupe"));
        EngineField<Histogram<double>>("ProcessDuration").Record(0.0001);
        EngineField<Histogram<double>>("PunctuationDuration").Record(0.002, new KeyValuePair<string, object?>("punctuation", "release"));

        if (_edgeMetrics is not null)
        {
            foreach (var property in _edgeMetrics.GetType().GetProperties())
            {
                switch (property.GetValue(_edgeMetrics))
                {
                    case Counter<long> c: c.Add(1); break;
                    case Histogram<double> h: h.Record(0.05); break;
                }
            }
        }

        MesErpStreams.Reconciliation.Internal.ReconcileMetrics.Record(new MesErpStreams.Reconciliation.Internal.ReconciliationReport
        {
            Scope = new(), CreatedAt = DateTimeOffset.UtcNow, EventRecords = 1, EventsInScope = 1, InFlight = 0, ExpectedPostings = 1,
            PostingsInLedger = 1, Rows = [], Gaps = [], Rejected = [], Plants = [new MesErpStreams.Reconciliation.Internal.PlantCompleteness("P100", 1, 1)],
        });

        // As StreamizPipeline feeds it: end offsets from its watermark thread, positions from the transformer.
        _processorLag.SetEndOffset("mes.events.scrap-reports", 1, 200 + _round);
        _processorLag.Consumed("mes.events.scrap-reports", 1, 150, DateTimeOffset.UtcNow.AddSeconds(-2));
        _lag.SetEndOffset("erp.posting-commands", 0, 100 + _round);
        _lag.Consumed("erp.posting-commands", 0, 50, DateTimeOffset.UtcNow.AddSeconds(-3));
    }

    public async ValueTask DisposeAsync()
    {
        typeof(PipelineMetrics).GetMethod("Untrack", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, [this]);
        _engineMetrics.GetMethod("UntrackStores", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [this]);
        _lag.Dispose();
        _processorLag.Dispose();
        foreach (var o in _owned)
        {
            switch (o)
            {
                case IAsyncDisposable a: await a.DisposeAsync(); break;
                case IDisposable d: d.Dispose(); break;
            }
        }

        if (Directory.Exists(_edgeDir))
        {
            Directory.Delete(_edgeDir, recursive: true);
        }
    }

    private T Field<T>(string name) => (T)_pipelineFields.Single(f => f.Name == name).GetValue(null)!;

    private T EngineField<T>(string name) => (T)_engineMetrics.GetField(name, BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

    private void Add(Assembly assembly, string typeName, object[] ctorArgs)
    {
        var type = assembly.GetType(typeName, throwOnError: true)!;
        var instance = Activator.CreateInstance(type, ctorArgs)!;
        _owned.Add(instance);
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.Name != nameof(IDisposable.Dispose) && !m.GetParameters().Any(p => p.ParameterType.Name.StartsWith("IConsumer", StringComparison.Ordinal)))
            .ToArray();
        _targets.Add((instance, methods));
    }

    private async Task StartEdgeAsync()
    {
        var edge = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "MesErpStreams.Edge")
            ?? Assembly.Load("MesErpStreams.Edge");
        var storeType = edge.GetType("MesErpStreams.Edge.Internal.SqliteOutboxStore", throwOnError: true)!;
        Directory.CreateDirectory(_edgeDir);
        var open = (Task)storeType.GetMethod("OpenAsync", BindingFlags.Public | BindingFlags.Static)!
            .Invoke(null, [Path.Combine(_edgeDir, "outbox.db"), CancellationToken.None])!;
        await open;
        var store = open.GetType().GetProperty("Result")!.GetValue(open)!;
        _edgeMetrics = Activator.CreateInstance(edge.GetType("MesErpStreams.Edge.Internal.EdgeMetrics", throwOnError: true)!, [store])!;
        _owned.Add(_edgeMetrics);
        _owned.Add(store);
    }

    private static object? Sample(Type type, string name)
    {
        if (type == typeof(string))
        {
            return name switch
            {
                "outcome" => "posted",
                "topic" => "mes.events.scrap-reports",
                "store" => "dedupe",
                "failureClass" => "rejected",
                _ => "sample-" + name,
            };
        }

        if (type == typeof(long))
        {
            return name.Contains("timestamp", StringComparison.OrdinalIgnoreCase) ? Stopwatch.GetTimestamp() : 3L;
        }

        if (type == typeof(int))
        {
            return 1;
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.FromMilliseconds(120);
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
        {
            // The moment of an acknowledgement is now; the moments it is measured from lie before it.
            return name.Contains("ack", StringComparison.OrdinalIgnoreCase) ? DateTimeOffset.UtcNow : DateTimeOffset.UtcNow.AddSeconds(-2);
        }

        if (type == typeof(Confluent.Kafka.ConsumeResult<byte[], byte[]>))
        {
            return new Confluent.Kafka.ConsumeResult<byte[], byte[]>
            {
                Topic = "mes.events.scrap-reports",
                Partition = 1,
                Offset = 41,
                Message = new Confluent.Kafka.Message<byte[], byte[]> { Timestamp = new Confluent.Kafka.Timestamp(DateTime.UtcNow.AddSeconds(-2)) },
            };
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(0);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            var element = type.GetGenericArguments()[0];
            var items = Array.CreateInstance(element, 1);
            var parts = element.GetGenericArguments().Select((t, i) => Sample(t, i == 0 ? "topic" : "item" + i)).ToArray();
            items.SetValue(Activator.CreateInstance(element, parts), 0);
            return items;
        }

        throw new NotSupportedException($"no sample for parameter {name} of type {type}");
    }
}
