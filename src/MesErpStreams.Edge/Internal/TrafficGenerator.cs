using System.Globalization;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Pipeline;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Edge.Internal;

/// <summary>
/// Deterministic shop-floor traffic: every decision comes from one <see cref="Random"/> seeded by the options, consumed
/// in a fixed order, so a seed reproduces the run record for record (except occurredAt, which follows StartTime).
/// </summary>
internal sealed partial class TrafficGenerator
{
    private static readonly string[] ScrapReasons = ["S01-DIMENSION", "S02-SURFACE", "S03-SETUP", "S04-MATERIAL"];
    private static readonly string[] HoldReasons = ["Q01-VISUAL", "Q02-LAB", "Q03-CUSTOMER"];
    private static readonly string[] Shifts = ["EARLY", "LATE", "NIGHT"];

    private readonly MesSimulatorOptions _o;
    private readonly Random _rng;
    private readonly TimeSpan _step;
    private readonly List<Deferred> _deferred = [];
    private readonly List<object> _recent = [];
    private readonly Plant[] _plants;
    private DateTimeOffset _clock;
    private long _emitted;
    private long _orderCounter;

    public TrafficGenerator(MesSimulatorOptions options, DateTimeOffset start)
    {
        _o = options;
        _rng = new Random(options.Seed);
        _clock = start;
        _step = options.EventsPerSecond > 0 ? TimeSpan.FromSeconds(1 / options.EventsPerSecond) : TimeSpan.FromMilliseconds(1);
        _plants = Enumerable.Range(1, options.Plants).Select(i => new Plant((i * 1000).ToString(CultureInfo.InvariantCulture), options.ActiveOrdersPerPlant)).ToArray();
    }

    /// <summary>The records in publishing order: the material masters first, then events interleaved with work orders.</summary>
    public IEnumerable<SimulatedRecord> Generate(CancellationToken stop)
    {
        foreach (var plant in _plants)
        {
            foreach (var m in Materials(plant.Code))
            {
                yield return new SimulatedRecord(SimulatedRecordKind.MasterData, PipelineTopology.Topics.Materials, EventKeys.Material(m.Plant, m.MaterialNumber), m);
            }
        }

        while (!stop.IsCancellationRequested && (_o.MaxEvents is not { } max || _emitted < max))
        {
            foreach (var r in DueDeferred())
            {
                yield return r;
            }

            var plant = _plants[_rng.Next(_plants.Length)];
            var slot = _rng.Next(plant.Orders.Length);
            var order = plant.Orders[slot];
            if (order is null || order.Script.Count == 0)
            {
                order = plant.Orders[slot] = NewOrder(plant);
                var record = new SimulatedRecord(SimulatedRecordKind.MasterData, PipelineTopology.Topics.WorkOrders, EventKeys.WorkOrder(plant.Code, order.Master.OrderNumber), order.Master);
                if (_rng.NextDouble() < _o.LateMasterDataRate)
                {
                    Defer(record, _rng.Next(3, 30));
                }
                else
                {
                    yield return record;
                }
            }

            var e = order.Script.Dequeue()(this);
            _clock += _step;
            foreach (var r in Deliver(e))
            {
                yield return r;
            }
        }

        // Stopping: deliver everything held back (late master data, delayed events, scheduled re-sends and releases),
        // so the run's expected postings are complete.
        foreach (var d in _deferred.OrderBy(d => d.Due))
        {
            yield return d.Record;
        }

        _deferred.Clear();
    }

    private IEnumerable<SimulatedRecord> Deliver(object e)
    {
        var kind = SimulatedRecordKind.Event;
        if (_rng.NextDouble() < _o.InvalidRate)
        {
            e = Invalidate(e);
            kind = SimulatedRecordKind.Invalid;
        }

        var record = Record(kind, e);
        _emitted++;
        if (_rng.NextDouble() < _o.OutOfOrderRate)
        {
            Defer(record, _rng.Next(1, 5));
        }
        else
        {
            yield return record;
        }

        if (kind == SimulatedRecordKind.Event && _rng.NextDouble() < _o.DuplicateRate)
        {
            Defer(record with { Kind = SimulatedRecordKind.Duplicate }, _rng.Next(1, 50));
            _emitted++;
        }
    }

    private List<SimulatedRecord> DueDeferred()
    {
        var due = new List<SimulatedRecord>();
        for (var i = 0; i < _deferred.Count; i++)
        {
            if (_deferred[i].Due <= _emitted)
            {
                due.Add(_deferred[i].Record);
                _deferred.RemoveAt(i--);
            }
        }

        return due;
    }

    private void Defer(SimulatedRecord record, int afterEvents) => _deferred.Add(new Deferred(_emitted + afterEvents, record));

    // Traced like the edge does it (the root derives from the event id, so the seed reproduces it and consumes no
    // random numbers); a duplicate re-sends the same record, trace included.
    private static SimulatedRecord Record(SimulatedRecordKind kind, object e) => e switch
    {
        ProductionConfirmation x => new(kind, PipelineTopology.Topics.ProductionConfirmations, EventKeys.WorkOrder(x.Plant, x.WorkOrder), EdgeEvent.Traced(x, x.EventId, out _)),
        ScrapReport x => new(kind, PipelineTopology.Topics.ScrapReports, EventKeys.WorkOrder(x.Plant, x.WorkOrder), EdgeEvent.Traced(x, x.EventId, out _)),
        MaterialConsumption x => new(kind, PipelineTopology.Topics.MaterialConsumptions, EventKeys.WorkOrder(x.Plant, x.WorkOrder), EdgeEvent.Traced(x, x.EventId, out _)),
        QualityHold x => new(kind, PipelineTopology.Topics.QualityHolds, EventKeys.MaterialBatch(x.Plant, x.Material, x.Batch), EdgeEvent.Traced(x, x.EventId, out _)),
        _ => throw new ArgumentException("not an event", nameof(e)),
    };

    /// <summary>Breaks a validation rule the processor checks (non-positive quantity, or a unit that is no unit code).</summary>
    private object Invalidate(object e)
    {
        var badUnit = _rng.Next(2) == 0;
        Quantity Bad(Quantity q) => badUnit ? q with { Unit = "??" } : q with { Value = -q.Value };
        return e switch
        {
            ProductionConfirmation x => x with { YieldQuantity = badUnit ? Bad(x.YieldQuantity) : x.YieldQuantity with { Value = -x.YieldQuantity.Value - 1 } },
            ScrapReport x => x with { Quantity = Bad(x.Quantity) },
            MaterialConsumption x => x with { Quantity = Bad(x.Quantity) },
            QualityHold x => x with { Quantity = Bad(x.Quantity ?? new Quantity { Value = 1, Unit = "PC" }) },
            _ => e,
        };
    }

    private Guid NextGuid()
    {
        Span<byte> b = stackalloc byte[16];
        _rng.NextBytes(b);
        b[7] = (byte)((b[7] & 0x0F) | 0x40); // version 4 layout (little-endian field order of System.Guid)
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b);
    }

    private decimal Amount(int min, int max, int decimals)
    {
        var scale = (int)Math.Pow(10, decimals);
        return decimal.Round((decimal)_rng.Next(min * scale, (max * scale) + 1) / scale, decimals);
    }

    private sealed record Deferred(long Due, SimulatedRecord Record);
}
