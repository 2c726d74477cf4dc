using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Edge.UnitTests;

public sealed class MesSimulatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    private static MesSimulatorOptions Faulty(int seed, long events = 3000) => new()
    {
        Seed = seed, MaxEvents = events, StartTime = Start, DuplicateRate = 0.05, OutOfOrderRate = 0.1, InvalidRate = 0.03,
        LateMasterDataRate = 0.3, HoldRate = 0.3,
    };

    private static List<string> Fingerprint(IEnumerable<SimulatedRecord> records) => records.Select(r => r.Value switch
    {
        WorkOrder o => $"{r.Kind} {r.Topic} {r.Key} {o.OrderNumber} {o.Material} {o.PlannedQuantity} {string.Join(',', o.Components.Select(c => c.Material + ":" + c.RequiredQuantity))}",
        Material m => $"{r.Kind} {r.Topic} {r.Key} {m.MaterialNumber} {m.BaseUnit} {m.BatchManaged}",
        _ => $"{r.Kind} {r.Topic} {r.Key} {MesEventJson.Format(r.Value)}",
    }).ToList();

    [Fact]
    public void Same_seed_generates_the_same_records()
    {
        var a = Fingerprint(new MesSimulator(Faulty(7)).Generate());
        var b = Fingerprint(new MesSimulator(Faulty(7)).Generate());
        a.Should().HaveCountGreaterThan(3000).And.Equal(b);
    }

    [Fact]
    public void Different_seeds_generate_different_records()
    {
        var a = Fingerprint(new MesSimulator(Faulty(7, 200)).Generate());
        var b = Fingerprint(new MesSimulator(Faulty(8, 200)).Generate());
        a.Should().NotEqual(b);
    }

    [Fact]
    public void Generated_traffic_covers_every_event_type_and_every_fault_knob()
    {
        var records = new MesSimulator(Faulty(11)).Generate().ToList();
        records.Select(r => r.Value.GetType()).Distinct().Should().BeEquivalentTo(
            [typeof(Material), typeof(WorkOrder), typeof(ProductionConfirmation), typeof(ScrapReport), typeof(MaterialConsumption), typeof(QualityHold)]);
        records.Count(r => r.Kind != SimulatedRecordKind.MasterData).Should().BeGreaterThanOrEqualTo(3000);
        records.Should().Contain(r => r.Kind == SimulatedRecordKind.Duplicate).And.Contain(r => r.Kind == SimulatedRecordKind.Invalid);
        records.Select(r => r.Value).OfType<QualityHold>().Select(h => h.Action).Should().Contain([QualityHoldAction.Placed, QualityHoldAction.Released]);

        // Duplicates repeat an event already sent, with the same id.
        var firstIds = new HashSet<Guid>();
        foreach (var r in records.Where(r => r.Kind != SimulatedRecordKind.MasterData))
        {
            var id = MesEventOf(r.Value).EventId;
            if (r.Kind == SimulatedRecordKind.Duplicate)
            {
                firstIds.Should().Contain(id);
            }
            else
            {
                firstIds.Add(id).Should().BeTrue("only duplicates repeat an id");
            }
        }

        // Late master data: some order's first event comes before its work order record.
        var orderPosition = records.Select((r, i) => (r, i)).Where(x => x.r.Value is WorkOrder).ToDictionary(x => x.r.Key, x => x.i);
        records.Select((r, i) => (r, i)).Where(x => x.r.Value is ProductionConfirmation)
            .Should().Contain(x => orderPosition[x.r.Key] > x.i, "late master data is switched on");

        // Out-of-order delivery: per plant, source sequence numbers are not always ascending.
        var sequences = records.Where(r => r.Kind == SimulatedRecordKind.Event).Select(r => MesEventOf(r.Value)).Select(e => ((dynamic)e.Payload).Sequence).Cast<long>().ToList();
        sequences.Should().NotBeInAscendingOrder();
    }

    [Fact]
    public void Expected_postings_are_one_command_per_unique_valid_event_and_invalid_ones_are_dead_letters()
    {
        var records = new MesSimulator(Faulty(3)).Generate().ToList();
        var expected = MesSimulator.ComputeExpected(records);

        var valid = records.Where(r => r.Kind == SimulatedRecordKind.Event).Select(r => MesEventOf(r.Value)).ToList();
        var invalid = records.Where(r => r.Kind == SimulatedRecordKind.Invalid).Select(r => MesEventOf(r.Value).EventId).ToHashSet();
        expected.IdempotencyKeys.Should().HaveCount(valid.Count, "every valid generated event maps (its master data is published) and duplicates add nothing");
        var keysByEvent = valid.Select(e => e.Payload switch
        {
            ProductionConfirmation or ScrapReport => IdempotencyKeys.For(Contracts.Erp.ErpCommandType.OrderConfirmation, e.EventId),
            MaterialConsumption => IdempotencyKeys.For(Contracts.Erp.ErpCommandType.GoodsMovement, e.EventId),
            _ => IdempotencyKeys.For(Contracts.Erp.ErpCommandType.StockStatusChange, e.EventId),
        });
        expected.IdempotencyKeys.Should().BeEquivalentTo(keysByEvent);
        expected.DeadLetteredEventIds.Should().BeEquivalentTo(invalid);
        invalid.Should().NotBeEmpty();
    }

    [Fact]
    public void Events_whose_work_order_never_arrives_are_expected_as_dead_letters()
    {
        var records = new MesSimulator(Faulty(5, 500)).Generate().ToList();
        var dropped = records.First(r => r.Value is WorkOrder);
        var withoutOrder = records.Where(r => !ReferenceEquals(r, dropped)).ToList();

        var expected = MesSimulator.ComputeExpected(withoutOrder);
        var orphans = records.Where(r => r.Kind == SimulatedRecordKind.Event && r.Key == dropped.Key).Select(r => MesEventOf(r.Value).EventId).ToList();
        orphans.Should().NotBeEmpty();
        expected.DeadLetteredEventIds.Should().Contain(orphans);
        MesSimulator.ComputeExpected(records).IdempotencyKeys.Count.Should().Be(expected.IdempotencyKeys.Count + orphans.Count);
    }

    [Fact]
    public void Invalid_options_are_refused_naming_the_option()
    {
        var act = () => new MesSimulator(new MesSimulatorOptions { DuplicateRate = 1.5, Plants = 0 });
        act.Should().Throw<ArgumentException>().WithMessage("*--duplicate-rate*").WithMessage("*--plants*");
    }

    private static MesEvent MesEventOf(object e) => e switch
    {
        ProductionConfirmation x => MesEvent.From(x),
        ScrapReport x => MesEvent.From(x),
        MaterialConsumption x => MesEvent.From(x),
        QualityHold x => MesEvent.From(x),
        _ => throw new ArgumentException("not an event", nameof(e)),
    };
}
