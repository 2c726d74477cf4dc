using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Edge;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Harness;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;

namespace MesErpStreams.Chaos;

/// <summary>
/// The plants: the MES simulator's records in order, at a steady rate. Events go as JSON lines to the edge of their
/// plant (the way a line controller pipes into <c>meserp edge publish</c>); master data goes straight to the compacted
/// ERP master topics (it comes from the ERP, not the edge), late where the simulator makes it late. When an edge is
/// killed, its plant keeps its lines and, after the restart, re-sends the ones written in the last seconds before the
/// kill (it cannot know which the edge had accepted), as an MES re-sends unacknowledged events: the processor's
/// deduplication must absorb them.
/// </summary>
internal sealed class Feeder
{
    private static readonly TimeSpan ResendWindow = TimeSpan.FromSeconds(10);
    private readonly ChaosPlatform _platform;
    private readonly ChaosOptions _options;
    private readonly IReadOnlyList<SimulatedRecord> _records;
    private readonly Dictionary<string, int> _edgeOfPlant;
    private readonly EdgeSlot[] _slots;
    private readonly Dictionary<Guid, DateTimeOffset> _firstWritten = [];
    private readonly Lock _lock = new();
    private static readonly ReadOnlyMemory<byte> Newline = "\n"u8.ToArray();
    private readonly HashSet<byte[]> _badLines = new(ReferenceEqualityComparer.Instance);
    private volatile bool _paused;
    private long _trickleTicks;
    private long _lastLineAt;

    public Feeder(ChaosPlatform platform, ChaosOptions options, IReadOnlyList<SimulatedRecord> records)
    {
        _platform = platform;
        _options = options;
        _records = records;
        _edgeOfPlant = records.Select(r => PlantOf(r.Value)).Where(p => p is not null).Distinct().Order(StringComparer.Ordinal)
            .Select((p, i) => (p!, i)).ToDictionary(x => x.Item1, x => x.i % options.Plants);
        _slots = [.. platform.Edges.Select(e => new EdgeSlot(e))];
    }

    public long EventLinesWritten { get; private set; }

    public long MasterRecordsPublished { get; private set; }

    /// <summary>Each master-data record's delivery report, by master-data key (<c>work-order:…</c>, <c>material:…</c>), for the verdict.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> MasterDeliveries { get; } = new(StringComparer.Ordinal);

    public long LinesResent { get; private set; }

    /// <summary>Bad lines written (each occurrence, re-sends included) and distinct bad lines.</summary>
    public long BadLinesWritten { get; private set; }

    public int BadLinesDistinct { get; private set; }

    public bool Finished { get; private set; }

    public IReadOnlyDictionary<Guid, DateTimeOffset> FirstWritten
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<Guid, DateTimeOffset>(_firstWritten);
            }
        }
    }

    public static string? PlantOf(object value) => value switch
    {
        ProductionConfirmation x => x.Plant,
        ScrapReport x => x.Plant,
        MaterialConsumption x => x.Plant,
        QualityHold x => x.Plant,
        _ => null,
    };

    /// <summary>Stops writing event lines (a quiet line) until <see cref="Resume"/>.</summary>
    public void Pause() => _paused = true;

    public void Resume() => _paused = false;

    /// <summary>From now on one event line per <paramref name="interval"/> (a quiet plant); null: the full rate again.</summary>
    public void Trickle(TimeSpan? interval) => Interlocked.Exchange(ref _trickleTicks, interval?.Ticks ?? 0);

    /// <summary>Whether the trickle holds the next line back.</summary>
    private bool TrickleHolds()
    {
        var ticks = Interlocked.Read(ref _trickleTicks);
        return ticks > 0 && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastLineAt)) < TimeSpan.FromTicks(ticks);
    }

    /// <summary>The edge of slot <paramref name="index"/> is about to be killed: hold its plant's lines from now on.</summary>
    public async Task EdgeDownAsync(int index, CancellationToken ct)
    {
        var slot = _slots[index];
        await slot.Gate.WaitAsync(ct);
        slot.Down = true;
        slot.Gate.Release();
    }

    /// <summary>The edge was restarted: re-send what it may have lost, then the lines held meanwhile, before any new line.</summary>
    public async Task EdgeUpAsync(int index, CancellationToken ct)
    {
        var slot = _slots[index];
        await slot.Gate.WaitAsync(ct);
        try
        {
            var cutoff = Stopwatch.GetTimestamp() - (long)(ResendWindow.TotalSeconds * Stopwatch.Frequency);
            List<byte[]> replay = [.. slot.Recent.Where(x => x.At >= cutoff).Select(x => x.Line)];
            LinesResent += replay.Count;
            replay.AddRange(slot.Held);
            slot.Held.Clear();
            slot.Recent.Clear();
            slot.Down = false;
            foreach (var line in replay)
            {
                await WriteLockedAsync(slot, line, ct);
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>Writes bad lines (malformed JSON, invalid UTF-8, an unknown type, a missing field) into an edge's input.</summary>
    public async Task InjectBadLinesAsync(int index, Random random, CancellationToken ct)
    {
        byte[][] lines =
        [
            Encoding.UTF8.GetBytes("{\"type\":\"ProductionConfirmation\",\"eventId\":"),
            [.. "{\"type\":\"ScrapReport\",\"plant\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8],
            Encoding.UTF8.GetBytes("{\"type\":\"Teleportation\",\"eventId\":\"" + Guid.NewGuid() + "\"}"),
            Encoding.UTF8.GetBytes("[1,2,3]"),
            [.. "{\"type\":\"QualityHold\",\"batch\":\"B"u8, 0xED, 0xA0, 0x80, .. "\"}"u8],
            Encoding.UTF8.GetBytes("not json at all " + random.Next()),
        ];
        foreach (var line in lines)
        {
            lock (_lock)
            {
                BadLinesDistinct++;
                _badLines.Add(line);
            }

            await WriteAsync(_slots[index], line, ct);
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var serdeConfig = new AvroSerializerConfig { AutoRegisterSchemas = false };
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = _platform.RegistryUrl });
        var order = new AvroSerializer<WorkOrder>(registry, WorkOrder.Schema, serdeConfig);
        var material = new AvroSerializer<Material>(registry, Material.Schema, serdeConfig);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = _platform.Cluster.BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5,
        }).Build();
        Error? failure = null;
        var clock = Stopwatch.StartNew();
        var pausedFor = TimeSpan.Zero;
        long sent = 0;
        foreach (var r in _records)
        {
            if (r.Value is WorkOrder or Material)
            {
                var context = new SerializationContext(MessageComponentType.Value, r.Topic);
                var bytes = r.Value is WorkOrder w ? await order.SerializeAsync(w, context) : await material.SerializeAsync((Material)r.Value, context);
                var masterKey = (r.Value is WorkOrder ? "work-order:" : "material:") + r.Key;
                producer.Produce(r.Topic, new Message<string, byte[]> { Key = r.Key, Value = bytes }, d =>
                {
                    failure ??= d.Error.IsError ? d.Error : null;
                    MasterDeliveries[masterKey] = d.Error.IsError ? "failed: " + d.Error.Reason : $"acknowledged at {d.Topic}[{d.Partition.Value}]@{d.Offset.Value} ({d.Status})";
                });
                MasterRecordsPublished++;
                continue;
            }

            while (_paused || TrickleHolds())
            {
                var t = Stopwatch.StartNew();
                await Task.Delay(50, ct);
                pausedFor += t.Elapsed;
            }

            var due = TimeSpan.FromSeconds(sent / _options.Rate) + pausedFor - clock.Elapsed;
            if (due > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(due, ct);
            }

            var e = EdgeEvent.From(r.Value);
            lock (_lock)
            {
                _firstWritten.TryAdd(e.EventId, DateTimeOffset.UtcNow);
            }

            var line = Encoding.UTF8.GetBytes(MesEventJson.Format(r.Value));
            await WriteAsync(_slots[_edgeOfPlant[PlantOf(r.Value)!]], line, ct);
            EventLinesWritten++;
            Interlocked.Exchange(ref _lastLineAt, Stopwatch.GetTimestamp());
            sent++;
        }

        producer.Flush(TimeSpan.FromSeconds(60));
        Finished = true;
        if (failure is { } f)
        {
            throw new InvalidOperationException("master data could not be published: " + f.Reason);
        }
    }

    private async Task WriteAsync(EdgeSlot slot, byte[] line, CancellationToken ct)
    {
        await slot.Gate.WaitAsync(ct);
        try
        {
            if (slot.Down)
            {
                slot.Held.Add(line);
                return;
            }

            await WriteLockedAsync(slot, line, ct);
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async Task WriteLockedAsync(EdgeSlot slot, byte[] line, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_badLines.Contains(line))
            {
                BadLinesWritten++;
            }
        }

        slot.Recent.Enqueue((Stopwatch.GetTimestamp(), line));
        while (slot.Recent.Count > 50_000)
        {
            slot.Recent.Dequeue();
        }

        var stdin = slot.Edge.Stdin;
        await stdin.WriteAsync(line, ct);
        await stdin.WriteAsync(Newline, ct);
        await stdin.FlushAsync(ct);
    }

    private sealed class EdgeSlot(ChildProcess edge)
    {
        public ChildProcess Edge { get; } = edge;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool Down { get; set; }

        public List<byte[]> Held { get; } = [];

        public Queue<(long At, byte[] Line)> Recent { get; } = new();
    }

    /// <summary>Closes every edge's input and waits until each has drained its outbox into Kafka and exited.</summary>
    public async Task<IReadOnlyList<int>> CloseEdgesAsync(TimeSpan timeout)
    {
        var codes = new List<int>();
        foreach (var s in _slots)
        {
            codes.Add(await s.Edge.CloseInputAndWaitAsync(timeout));
        }

        return codes;
    }
}
