using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Edge.Internal;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Edge.Simulation;

/// <summary>
/// Deterministic multi-plant MES traffic: work orders with operations, yields, scrap, component consumption per bill of
/// material, quality holds and releases, plus the matching ERP master data; with knobs for duplicate re-sends,
/// out-of-order delivery, invalid events and late master data. The same <see cref="MesSimulatorOptions.Seed"/> gives
/// the same records (ids, keys, quantities) every time, so the ERP postings a run implies can be computed
/// (<see cref="Expected"/>).
/// Publish with <see cref="RunAsync"/> (in-process, e.g. from <c>meserp run</c>) or <c>meserp edge simulate</c>.
/// </summary>
public sealed partial class MesSimulator
{
    private readonly MesSimulatorOptions _options;
    private readonly DateTimeOffset _start;
    private readonly List<SimulatedRecord> _published = [];
    private readonly Lock _lock = new();
    private long _events;
    private long _duplicates;
    private long _invalid;
    private long _master;

    /// <summary>Creates a simulator.</summary>
    /// <param name="options">Knobs; validated.</param>
    /// <exception cref="ArgumentException">Invalid options (the message names the option).</exception>
    public MesSimulator(MesSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        _options = options;
        _start = options.StartTime ?? DateTimeOffset.UtcNow.AddMinutes(-5);
    }

    /// <summary>The options.</summary>
    public MesSimulatorOptions Options => _options;

    /// <summary>Counts of what <see cref="RunAsync"/> has published so far.</summary>
    public MesSimulatorStats Stats => new(Interlocked.Read(ref _events), Interlocked.Read(ref _duplicates), Interlocked.Read(ref _invalid), Interlocked.Read(ref _master));

    /// <summary>The records of a run, in publishing order, without publishing them. Each call starts from the seed again.</summary>
    /// <param name="stop">When cancelled, generation stops after releasing everything held back (late master data, delayed events).</param>
    /// <returns>A lazy, possibly unbounded sequence (bounded by <see cref="MesSimulatorOptions.MaxEvents"/> or <paramref name="stop"/>).</returns>
    public IEnumerable<SimulatedRecord> Generate(CancellationToken stop = default) => new TrafficGenerator(_options, _start).Generate(stop);

    /// <summary>The records published so far by <see cref="RunAsync"/> (a copy).</summary>
    public IReadOnlyList<SimulatedRecord> Published
    {
        get
        {
            lock (_lock)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>The postings the records published so far imply (see <see cref="ComputeExpected"/>).</summary>
    /// <param name="mapping">Mapping options of the processor; defaults when null.</param>
    public ExpectedPostings Expected(MappingOptions? mapping = null) => ComputeExpected(Published, mapping);

    /// <summary>
    /// What the processor must make of <paramref name="records"/>: the first delivery of each valid event maps, with the
    /// master data among the records (the newest record per key), through <see cref="CommandMapper"/> to one command;
    /// invalid events (<see cref="EventValidator"/>), events the mapper rejects and events whose master data never came
    /// are dead letters; re-sent duplicates add nothing.
    /// </summary>
    /// <param name="records">Published records, in any order.</param>
    /// <param name="mapping">Mapping options of the processor; defaults when null.</param>
    /// <returns>The expected idempotency keys and dead-lettered event ids.</returns>
    public static ExpectedPostings ComputeExpected(IEnumerable<SimulatedRecord> records, MappingOptions? mapping = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        mapping ??= new MappingOptions();
        var master = new RecordedMasterData();
        var events = new List<MesEvent>();
        var seen = new HashSet<Guid>();
        foreach (var r in records)
        {
            switch (r.Value)
            {
                case WorkOrder o: master.Orders[EventKeys.WorkOrder(o.Plant, o.OrderNumber)] = o; break;
                case Material m: master.Materials[EventKeys.Material(m.Plant, m.MaterialNumber)] = m; break;
                default:
                    var e = ToMesEvent(r.Value);
                    if (seen.Add(e.EventId))
                    {
                        events.Add(e);
                    }

                    break;
            }
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var commands = new List<ExpectedCommand>();
        var dead = new HashSet<Guid>();
        foreach (var e in events)
        {
            // Simulated occurredAt never lies in the future of a live run; validate the rules that do not depend on the clock.
            if (EventValidator.Validate(e, DateTimeOffset.MaxValue.AddYears(-1), TimeSpan.Zero, out _) is not null)
            {
                dead.Add(e.EventId);
                continue;
            }

            var outcome = CommandMapper.Map(e, master, DateTimeOffset.UnixEpoch, mapping);
            if (outcome.Command is { } c)
            {
                if (keys.Add(c.IdempotencyKey))
                {
                    commands.Add(new ExpectedCommand(e.EventId, c.IdempotencyKey, c.OrderKey, e.Payload.GetType().Name));
                }
            }
            else
            {
                dead.Add(e.EventId);
            }
        }

        return new ExpectedPostings(keys, dead, commands);
    }

    private static MesEvent ToMesEvent(object value) => value switch
    {
        ProductionConfirmation x => MesEvent.From(x),
        ScrapReport x => MesEvent.From(x),
        MaterialConsumption x => MesEvent.From(x),
        QualityHold x => MesEvent.From(x),
        _ => throw new ArgumentException($"{value.GetType().Name} is not a simulated record value", nameof(value)),
    };

    private void Count(SimulatedRecord r)
    {
        lock (_lock)
        {
            _published.Add(r);
        }

        switch (r.Kind)
        {
            case SimulatedRecordKind.MasterData: Interlocked.Increment(ref _master); break;
            case SimulatedRecordKind.Duplicate: Interlocked.Increment(ref _duplicates); Interlocked.Increment(ref _events); break;
            case SimulatedRecordKind.Invalid: Interlocked.Increment(ref _invalid); Interlocked.Increment(ref _events); break;
            default: Interlocked.Increment(ref _events); break;
        }
    }

    private sealed class RecordedMasterData : IMasterData
    {
        public Dictionary<string, WorkOrder> Orders { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Material> Materials { get; } = new(StringComparer.Ordinal);

        public WorkOrder? FindWorkOrder(string plant, string orderNumber) => Orders.GetValueOrDefault(EventKeys.WorkOrder(plant, orderNumber));

        public Material? FindMaterial(string plant, string materialNumber) => Materials.GetValueOrDefault(EventKeys.Material(plant, materialNumber));
    }
}
