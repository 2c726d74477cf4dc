using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Streams;
using MesErpStreams.Streams.TestUtils;
using static MesErpStreams.Pipeline.UnitTests.TestData;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Pipeline.UnitTests;

public sealed class PipelineTopologyTests : IDisposable
{
    private static readonly PipelineSerdes Serdes = new(
        ContractSerde<ProductionConfirmation>.Instance, ContractSerde<ScrapReport>.Instance, ContractSerde<MaterialConsumption>.Instance,
        ContractSerde<QualityHold>.Instance, ContractSerde<WorkOrder>.Instance, ContractSerde<Material>.Instance, ContractSerde<ErpPostingCommand>.Instance);

    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "meserp-pipeline-test-" + Guid.NewGuid().ToString("N"));
    private readonly PipelineOptions _options = new() { PendingTimeout = TimeSpan.FromMinutes(60), PendingCheckInterval = TimeSpan.FromSeconds(10) };
    private TopologyTestDriver _driver;

    public PipelineTopologyTests() => _driver = NewDriver();

    private TopologyTestDriver NewDriver() => new(PipelineTopology.Build(Serdes, _options), new TopologyTestDriverOptions
    {
        ApplicationId = "pipeline-test", StateDirectory = _stateDir, Time = new FakeTimeProvider(Now),
        DeadLetter = new DeadLetterOptions { Topic = "streams-errors" },
    });

    public void Dispose()
    {
        _driver.Dispose();
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    private void Pipe(ProductionConfirmation e) => In<ProductionConfirmation>(T.ProductionConfirmations).PipeInput(EventKeys.WorkOrder(e.Plant, e.WorkOrder), e, e.OccurredAt);

    private void Pipe(ScrapReport e) => In<ScrapReport>(T.ScrapReports).PipeInput(EventKeys.WorkOrder(e.Plant, e.WorkOrder), e, e.OccurredAt);

    private void Pipe(MaterialConsumption e) => In<MaterialConsumption>(T.MaterialConsumptions).PipeInput(EventKeys.WorkOrder(e.Plant, e.WorkOrder), e, e.OccurredAt);

    private void Pipe(QualityHold e) => In<QualityHold>(T.QualityHolds).PipeInput(EventKeys.MaterialBatch(e.Plant, e.Material, e.Batch), e, e.OccurredAt);

    private void Master(WorkOrder o) => In<WorkOrder>(T.WorkOrders).PipeInput(EventKeys.WorkOrder(o.Plant, o.OrderNumber), o, Now);

    private void Master(Material m) => In<Material>(T.Materials).PipeInput(EventKeys.Material(m.Plant, m.MaterialNumber), m, Now);

    private TestInputTopic<string, TV> In<TV>(string topic)
        where TV : MesErpStreams.Contracts.IAvroContract<TV> => _driver.CreateInputTopic(topic, MesErpStreams.Streams.Serdes.String, ContractSerde<TV>.Instance);

    private IReadOnlyList<Record<string, ErpPostingCommand>> Commands() =>
        _driver.CreateOutputTopic(T.PostingCommands, MesErpStreams.Streams.Serdes.String, ContractSerde<ErpPostingCommand>.Instance).ReadRecordsToList();

    private IReadOnlyList<TestRecord> DeadLetters() => _driver.ReadAllRaw(T.EventsDeadLetter);

    private void AllMasterData()
    {
        Master(Order());
        Master(Material("FG-100", "EA"));
        Master(Material("RM-7", "KG", batch: true, alt: new UnitConversion { Unit = "G", Numerator = 1, Denominator = 1000 }));
    }

    [Fact]
    public void Valid_event_becomes_one_command_keyed_by_order_with_trace_headers()
    {
        AllMasterData();
        var e = Confirmation(5m);
        Pipe(e);

        var c = Commands().Should().ContainSingle().Subject;
        c.Key.Should().Be("P100/1000123");
        c.Value.IdempotencyKey.Should().Be("OC-" + e.EventId.ToString("N"));
        c.Value.OrderConfirmation!.YieldQuantity.Should().Be(5m);
        var raw = _driver.ReadAllRaw(T.PostingCommands).Single();
        raw.Header(PipelineHeaders.TraceParent).Should().Be(c.Value.Trace!.Traceparent);
        TraceParent.SameTrace(raw.Header(PipelineHeaders.TraceParent), e.Trace!.Traceparent).Should().BeTrue();
        raw.Header(PipelineHeaders.TraceParent).Should().NotBe(e.Trace.Traceparent);
        raw.Header(PipelineHeaders.EventTopic).Should().Be(T.ProductionConfirmations);
        raw.Header(PipelineHeaders.EventId).Should().Be(e.EventId.ToString());
        DeadLetters().Should().BeEmpty();
    }

    [Fact]
    public void Duplicate_event_is_posted_once()
    {
        AllMasterData();
        var e = Confirmation();
        Pipe(e);
        Pipe(e with { Sequence = 99 }); // an edge re-send: same event id
        Commands().Should().ContainSingle();
    }

    [Fact]
    public void Duplicate_after_a_restart_and_days_later_is_posted_once()
    {
        AllMasterData();
        var e = Confirmation();
        Pipe(e);
        Commands().Should().ContainSingle();

        _driver.Dispose();
        _driver = NewDriver(); // same state directory: the dedupe store is persistent
        AllMasterData();
        _driver.AdvanceWallClockTime(TimeSpan.FromDays(3));
        Pipe(e);
        Commands().Should().BeEmpty("the event id is remembered for the dedupe retention (7 days)");
    }

    [Fact]
    public void Invalid_event_is_dead_lettered_with_its_reason_and_the_pipeline_continues()
    {
        AllMasterData();
        var bad = Confirmation(-1m);
        Pipe(bad);
        Pipe(Confirmation(1m));

        var dl = DeadLetters().Should().ContainSingle().Subject;
        dl.Header(PipelineHeaders.Reason).Should().Be(RejectReasons.QuantityNotPositive);
        dl.Header(PipelineHeaders.SourceTopic).Should().Be(T.ProductionConfirmations);
        dl.Header(PipelineHeaders.EventId).Should().Be(bad.EventId.ToString());
        dl.Header(PipelineHeaders.TraceParent).Should().Be(TraceParent.Parse(bad.Trace!.Traceparent!).Child("dead-letter").Value, "the dead letter is a child span of the event");
        dl.Header(PipelineHeaders.ReasonDetail).Should().Contain("-1");
        ContractSerde<ProductionConfirmation>.Instance.Deserializer!.Deserialize(dl.Value, false, default)
            .Should().BeEquivalentTo(bad, "the dead letter carries the event itself, re-playable to its topic");
        Commands().Should().ContainSingle();
    }

    [Theory]
    [InlineData(WorkOrderStatus.Closed, RejectReasons.OrderClosed)]
    [InlineData(WorkOrderStatus.Created, RejectReasons.OrderNotReleased)]
    public void Event_for_an_order_that_cannot_be_posted_is_dead_lettered(WorkOrderStatus status, string reason)
    {
        AllMasterData();
        Master(Order(status: status));
        Pipe(Confirmation());
        DeadLetters().Single().Header(PipelineHeaders.Reason).Should().Be(reason);
    }

    [Fact]
    public void Batch_managed_component_without_batch_is_dead_lettered()
    {
        AllMasterData();
        Pipe(Consumption(batch: null));
        DeadLetters().Single().Header(PipelineHeaders.Reason).Should().Be(RejectReasons.BatchMissing);
    }

    [Fact]
    public void Event_waits_for_late_master_data_and_is_released_when_it_arrives()
    {
        var e = Confirmation(2m);
        Pipe(e);
        Commands().Should().BeEmpty();
        _driver.GetKeyValueStore<string, MesErpStreams.Pipeline.Internal.PendingEvent>(PipelineTopology.PendingStore).All().Should().ContainSingle();

        Master(Order());
        Commands().Should().BeEmpty("the header material is still missing");
        Master(Material("FG-100", "EA"));

        Commands().Should().ContainSingle().Which.Value.SourceEventIds.Should().Equal(e.EventId);
        _driver.GetKeyValueStore<string, MesErpStreams.Pipeline.Internal.PendingEvent>(PipelineTopology.PendingStore).All().Should().BeEmpty();
    }

    [Fact]
    public void Later_events_of_a_key_wait_behind_an_earlier_pending_one_and_keep_their_order()
    {
        Master(Order());
        Master(Material("RM-7", "KG", batch: true));
        var first = Confirmation(1m);            // needs FG-100, not there yet
        var second = Consumption(3m, "KG");      // could be posted now, but must not overtake
        var third = Confirmation(4m);
        Pipe(first);
        Pipe(second);
        Pipe(third);
        Commands().Should().BeEmpty();

        Master(Material("FG-100", "EA"));

        Commands().Select(c => c.Value.SourceEventIds.Single()).Should().Equal(first.EventId, second.EventId, third.EventId);
    }

    [Fact]
    public void Other_keys_are_not_held_up_by_a_pending_event()
    {
        Master(Order());
        Master(Order(number: "2000"));
        Master(Material("FG-100", "EA"));
        Pipe(Confirmation() with { WorkOrder = "9999" }); // never arrives
        Pipe(Confirmation() with { WorkOrder = "2000" });
        Commands().Should().ContainSingle().Which.Key.Should().Be("P100/2000");
    }

    [Fact]
    public void Event_whose_master_data_never_arrives_is_dead_lettered_after_the_timeout_and_its_followers_move_on()
    {
        Master(Material("FG-100", "EA"));
        Master(Material("RM-7", "KG", batch: true));
        var orphan = Confirmation();
        Pipe(orphan);
        _driver.AdvanceWallClockTime(TimeSpan.FromMinutes(30));
        DeadLetters().Should().BeEmpty();

        _driver.AdvanceWallClockTime(TimeSpan.FromMinutes(31));

        var dl = DeadLetters().Should().ContainSingle().Subject;
        dl.Header(PipelineHeaders.Reason).Should().Be(RejectReasons.MasterDataMissing);
        dl.Header(PipelineHeaders.ReasonDetail).Should().Contain("work-order:P100/1000123");
        dl.Header(PipelineHeaders.EventId).Should().Be(orphan.EventId.ToString());
    }

    [Fact]
    public void Dead_lettered_event_can_be_replayed_once_its_cause_is_fixed()
    {
        var e = Confirmation();
        Pipe(e);
        _driver.AdvanceWallClockTime(TimeSpan.FromHours(2));
        DeadLetters().Should().ContainSingle();

        AllMasterData();
        Pipe(e); // replay from the DLQ: the rejected event was not remembered by dedupe

        Commands().Should().ContainSingle().Which.Value.SourceEventIds.Should().Equal(e.EventId);
    }

    [Fact]
    public void Pending_events_survive_a_restart()
    {
        var e = Confirmation();
        Pipe(e);
        _driver.Dispose();
        _driver = NewDriver();
        AllMasterData();
        Commands().Should().ContainSingle().Which.Value.SourceEventIds.Should().Equal(e.EventId);
    }

    [Fact]
    public void Quality_hold_blocks_and_releases_the_batch_in_order()
    {
        AllMasterData();
        Pipe(Hold(QualityHoldAction.Placed));
        Pipe(Hold(QualityHoldAction.Released));
        var cmds = Commands();
        cmds.Select(c => c.Value.StockStatusChange!.Action).Should().Equal(StockStatusAction.Block, StockStatusAction.Unblock);
        cmds.Should().OnlyContain(c => c.Key == "P100/RM-7/B-1");
    }

    [Fact]
    public void Quantities_are_converted_into_the_base_unit_with_explicit_rounding()
    {
        AllMasterData();
        Pipe(Consumption(1234.5678m, "G"));
        Commands().Single().Value.GoodsMovement!.Quantity.Should().Be(1.235m);
    }
}
