using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Pipeline.Engine;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;
using static MesErpStreams.Pipeline.UnitTests.TestData;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Pipeline.UnitTests;

/// <summary>The Streamiz topology through Streamiz's own TopologyTestDriver (no broker).</summary>
public sealed class StreamizTopologyTests : IDisposable
{
    private static readonly PipelineCodecs Codecs = new(
        ContractSerde<ProductionConfirmation>.Codecs, ContractSerde<ScrapReport>.Codecs, ContractSerde<MaterialConsumption>.Codecs,
        ContractSerde<QualityHold>.Codecs, ContractSerde<WorkOrder>.Codecs, ContractSerde<Material>.Codecs, ContractSerde<ErpPostingCommand>.Codecs);

    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "meserp-streamiz-test-" + Guid.NewGuid().ToString("N"));
    private readonly PipelineOptions _options = new() { PendingTimeout = TimeSpan.FromMinutes(60), PendingCheckInterval = TimeSpan.FromSeconds(10) };
    private PipelineCodecs _codecs = Codecs;
    private TopologyTestDriver _driver;

    public StreamizTopologyTests() => _driver = NewDriver();

    private readonly Dictionary<string, TestInputTopic<string, byte[]>> _inputs = [];
    private readonly Dictionary<string, TestOutputTopic<string, byte[]>> _outputs = [];

    private TopologyTestDriver NewDriver()
    {
        // The driver hands out each topic once.
        _inputs.Clear();
        _outputs.Clear();
        return NewDriverInstance();
    }

    private TopologyTestDriver NewDriverInstance() => new(StreamizTopology.Build(_codecs, _options, "streamiz-test"), new StreamConfig<StringSerDes, ByteArraySerDes>
    {
        ApplicationId = "streamiz-test", StateDir = _stateDir, Guarantee = ProcessingGuarantee.EXACTLY_ONCE,
    });

    public void Dispose()
    {
        _driver.Dispose();
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    private void Pipe(ProductionConfirmation e) => Pipe(T.ProductionConfirmations, EventKeys.WorkOrder(e.Plant, e.WorkOrder), e);

    private void Pipe(ScrapReport e) => Pipe(T.ScrapReports, EventKeys.WorkOrder(e.Plant, e.WorkOrder), e);

    private void Pipe(MaterialConsumption e) => Pipe(T.MaterialConsumptions, EventKeys.WorkOrder(e.Plant, e.WorkOrder), e);

    private void Pipe(QualityHold e) => Pipe(T.QualityHolds, EventKeys.MaterialBatch(e.Plant, e.Material, e.Batch), e);

    private void Master(WorkOrder o) => Pipe(T.WorkOrders, EventKeys.WorkOrder(o.Plant, o.OrderNumber), o);

    private void Master(Material m) => Pipe(T.Materials, EventKeys.Material(m.Plant, m.MaterialNumber), m);

    private void Pipe<TV>(string topic, string key, TV value)
        where TV : IAvroContract<TV> => PipeBytes(topic, key, ContractSerde<TV>.Codecs.Serialize(value, default));

    private void PipeBytes(string topic, string key, byte[] value)
    {
        if (!_inputs.TryGetValue(topic, out var input))
        {
            input = _inputs[topic] = _driver.CreateInputTopic(topic, new StringSerDes(), new ByteArraySerDes());
        }

        input.PipeInput(key, value, Now.UtcDateTime, new Headers());
    }

    /// <summary>Lets the release punctuation (every <see cref="PipelineOptions.PendingReleaseInterval"/>) run.</summary>
    private void Release() => _driver.AdvanceWallClockTime(_options.PendingReleaseInterval);

    /// <summary>
    /// Advances the driver's wall clock by about <paramref name="time"/>. Streamiz's driver keeps advancing by a tenth
    /// of the step while punctuations run (up to 100 times), so long steps overshoot by up to ten times: with the
    /// punctuation intervals at 10 s, steps of up to a minute overshoot by a few seconds at most.
    /// </summary>
    private void Elapse(TimeSpan time) => _driver.AdvanceWallClockTime(time);

    private void Reconfigure(Action<PipelineOptions> change)
    {
        _driver.Dispose();
        _options.PendingReleaseInterval = TimeSpan.FromSeconds(10);
        _options.PendingCheckInterval = TimeSpan.FromSeconds(10);
        change(_options);
        _driver = NewDriver();
    }

    private List<ConsumeResult<string, byte[]>> Raw(string topic)
    {
        if (!_outputs.TryGetValue(topic, out var output))
        {
            output = _outputs[topic] = _driver.CreateOutputTopic(topic, TimeSpan.FromMilliseconds(10), new StringSerDes(), new ByteArraySerDes());
        }

        return output.ReadKeyValueList().ToList();
    }

    private List<(string Key, ErpPostingCommand Value, Headers Headers)> Commands() =>
        Raw(T.PostingCommands).Select(r => (r.Message.Key, ContractSerde<ErpPostingCommand>.Codecs.Deserialize(r.Message.Value, false, default), r.Message.Headers)).ToList();

    private List<ConsumeResult<string, byte[]>> DeadLetters() => Raw(T.EventsDeadLetter);

    private static string? Header(Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;

    private void AllMasterData()
    {
        Master(Order());
        Master(Material("FG-100", "EA"));
        Master(Material("RM-7", "KG", batch: true, alt: new UnitConversion { Unit = "G", Numerator = 1, Denominator = 1000 }));
    }

    [Fact]
    public void Valid_event_becomes_one_command_keyed_by_order_with_lineage_and_trace_headers()
    {
        AllMasterData();
        var e = Confirmation(5m);
        Pipe(e);

        var c = Commands().Should().ContainSingle().Subject;
        c.Key.Should().Be("P100/1000123");
        c.Value.IdempotencyKey.Should().Be("OC-" + e.EventId.ToString("N"));
        c.Value.OrderConfirmation!.YieldQuantity.Should().Be(5m);
        Header(c.Headers, PipelineHeaders.TraceParent).Should().Be(c.Value.Trace!.Traceparent);
        TraceParent.SameTrace(Header(c.Headers, PipelineHeaders.TraceParent), e.Trace!.Traceparent).Should().BeTrue();
        Header(c.Headers, PipelineHeaders.TraceParent).Should().NotBe(e.Trace.Traceparent);
        Header(c.Headers, PipelineHeaders.EventTopic).Should().Be(T.ProductionConfirmations);
        Header(c.Headers, PipelineHeaders.EventId).Should().Be(e.EventId.ToString());
        Header(c.Headers, PipelineHeaders.AcceptedAt).Should().Be(Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
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
    public void Duplicate_is_remembered_for_the_dedupe_retention_and_forgotten_after_it()
    {
        Reconfigure(o => o.DedupeRetention = TimeSpan.FromMinutes(1));
        AllMasterData();
        var e = Confirmation();
        Pipe(e);
        Commands().Should().ContainSingle();

        Elapse(TimeSpan.FromSeconds(30));
        Pipe(e);
        Commands().Should().BeEmpty("the event id is remembered for the dedupe retention");

        Elapse(TimeSpan.FromSeconds(40));
        Pipe(e);
        Commands().Should().ContainSingle("more than the retention after it was first seen the id is forgotten");
    }

    [Fact]
    public void Dedupe_entries_older_than_the_retention_are_swept_out_of_the_store()
    {
        Reconfigure(o => { o.DedupeRetention = TimeSpan.FromMinutes(1); o.DedupeSweepInterval = TimeSpan.FromSeconds(10); });
        AllMasterData();
        var old = Confirmation(1m);
        Pipe(old);
        for (var i = 0; i < 5; i++)
        {
            Elapse(TimeSpan.FromSeconds(10));
        }

        var young = Confirmation(2m);
        Pipe(young);
        var store = _driver.GetKeyValueStore<string, byte[]>(StreamizTopology.DedupeStore);
        store.Get(old.EventId.ToString("N")).Should().NotBeNull("50 s old, within the retention of 1 min");
        Elapse(TimeSpan.FromSeconds(10));
        Elapse(TimeSpan.FromSeconds(10));

        store.Get(old.EventId.ToString("N")).Should().BeNull("70 s old: swept");
        store.Get(young.EventId.ToString("N")).Should().NotBeNull("20 s old: kept");
    }

    [Fact]
    public void Invalid_event_is_dead_lettered_as_consumed_with_its_reason_and_the_pipeline_continues()
    {
        AllMasterData();
        var bad = Confirmation(-1m);
        Pipe(bad);
        Pipe(Confirmation(1m));

        var dl = DeadLetters().Should().ContainSingle().Subject;
        var h = dl.Message.Headers;
        Header(h, PipelineHeaders.Reason).Should().Be(RejectReasons.QuantityNotPositive);
        Header(h, PipelineHeaders.SourceTopic).Should().Be(T.ProductionConfirmations);
        Header(h, PipelineHeaders.EventId).Should().Be(bad.EventId.ToString());
        Header(h, PipelineHeaders.TraceParent).Should().Be(TraceParent.Parse(bad.Trace!.Traceparent!).Child("dead-letter").Value, "the dead letter is a child span of the event");
        Header(h, PipelineHeaders.ReasonDetail).Should().Contain("-1");
        dl.Message.Value.Should().Equal(ContractSerde<ProductionConfirmation>.Codecs.Serialize(bad, default), "the dead letter carries the record value as consumed, re-playable to its topic");
        Commands().Should().ContainSingle();
    }

    [Fact]
    public void Undecodable_record_between_good_ones_is_dead_lettered_as_it_is_and_the_partition_moves_on()
    {
        AllMasterData();
        var first = Confirmation(1m);
        var second = Confirmation(2m);
        Pipe(first);
        PipeBytes(T.ProductionConfirmations, "P100/1000123", [0xde, 0xad, 0xbe, 0xef]);
        Pipe(second);

        Commands().Select(c => c.Value.SourceEventIds.Single()).Should().Equal(first.EventId, second.EventId);
        var dl = DeadLetters().Should().ContainSingle().Subject;
        dl.Message.Value.Should().Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef });
        Header(dl.Message.Headers, "__meserp.errors.stage").Should().Be("deserialize");
        Header(dl.Message.Headers, "__meserp.errors.topic").Should().Be(T.ProductionConfirmations);
        Header(dl.Message.Headers, "__meserp.errors.offset").Should().Be("1");
        Header(dl.Message.Headers, "__meserp.errors.exception.class.name").Should().NotBeNullOrEmpty();
        Header(dl.Message.Headers, PipelineHeaders.SourceTopic).Should().Be(T.ProductionConfirmations, "replay sends it back there once the producer is fixed");
    }

    [Fact]
    public void Poison_record_too_large_for_the_dead_letter_topic_is_dead_lettered_without_its_value_and_the_partition_moves_on()
    {
        AllMasterData();
        var after = Confirmation(2m);
        var poison = new byte[1_200_000];
        new Random(5).NextBytes(poison);
        poison[0] = 0x7f; // not the registry's magic byte
        PipeBytes(T.ProductionConfirmations, "P100/1000123", poison);
        Pipe(after);

        Commands().Select(c => c.Value.SourceEventIds.Single()).Should().Equal(after.EventId);
        var dl = DeadLetters().Should().ContainSingle().Subject;
        dl.Message.Value.Should().BeNull("a 1.2 MB value would fail every transaction on a 1 MB topic");
        Header(dl.Message.Headers, "__meserp.errors.value.omitted.bytes").Should().Be("1200000");
        Header(dl.Message.Headers, "__meserp.errors.offset").Should().Be("0");
        Header(dl.Message.Headers, PipelineHeaders.SourceTopic).Should().Be(T.ProductionConfirmations);
    }

    [Fact]
    public void Transient_decode_failure_is_retried_not_dead_lettered()
    {
        _driver.Dispose();
        var flaky = new FlakyDeserializer<ProductionConfirmation>(ContractSerde<ProductionConfirmation>.Codecs, failures: 2);
        _codecs = Codecs with { ProductionConfirmation = flaky, IsTransient = ex => ex is TimeoutException };
        _driver = NewDriver();
        AllMasterData();
        var e = Confirmation();
        Pipe(e);

        flaky.Calls.Should().Be(3);
        Commands().Should().ContainSingle().Which.Value.SourceEventIds.Should().Equal(e.EventId);
        DeadLetters().Should().BeEmpty();
    }

    [Theory]
    [InlineData(WorkOrderStatus.Closed, RejectReasons.OrderClosed)]
    [InlineData(WorkOrderStatus.Created, RejectReasons.OrderNotReleased)]
    public void Event_for_an_order_that_cannot_be_posted_is_dead_lettered(WorkOrderStatus status, string reason)
    {
        AllMasterData();
        Master(Order(status: status));
        Pipe(Confirmation());
        Header(DeadLetters().Single().Message.Headers, PipelineHeaders.Reason).Should().Be(reason);
    }

    [Fact]
    public void Batch_managed_component_without_batch_is_dead_lettered()
    {
        AllMasterData();
        Pipe(Consumption(batch: null));
        Header(DeadLetters().Single().Message.Headers, PipelineHeaders.Reason).Should().Be(RejectReasons.BatchMissing);
    }

    [Fact]
    public void Event_waits_for_late_master_data_and_is_released_within_the_release_interval_after_it_arrives()
    {
        var e = Confirmation(2m);
        Pipe(e);
        Release();
        Commands().Should().BeEmpty();
        _driver.GetKeyValueStore<string, Internal.PendingEvent>(StreamizTopology.PendingStore).All().Should().ContainSingle();

        Master(Order());
        Release();
        Commands().Should().BeEmpty("the header material is still missing");
        Master(Material("FG-100", "EA"));
        Commands().Should().BeEmpty("release runs on the punctuation");
        Release();

        Commands().Should().ContainSingle().Which.Value.SourceEventIds.Should().Equal(e.EventId);
        _driver.GetKeyValueStore<string, Internal.PendingEvent>(StreamizTopology.PendingStore).All().Should().BeEmpty();
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
        Release();
        Commands().Should().BeEmpty();

        Master(Material("FG-100", "EA"));
        Release();

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
        Reconfigure(o => o.PendingTimeout = TimeSpan.FromSeconds(60));
        Master(Material("FG-100", "EA"));
        Master(Material("RM-7", "KG", batch: true));
        var orphan = Confirmation();
        var follower = Consumption(3m, "KG");
        Pipe(orphan);
        Pipe(follower);
        Elapse(TimeSpan.FromSeconds(20));
        DeadLetters().Should().BeEmpty();

        Elapse(TimeSpan.FromSeconds(45));

        var dl = DeadLetters();
        dl.Select(d => Header(d.Message.Headers, PipelineHeaders.EventId)).Should().Equal(orphan.EventId.ToString(), follower.EventId.ToString());
        dl.Should().OnlyContain(d => Header(d.Message.Headers, PipelineHeaders.Reason) == RejectReasons.MasterDataMissing);
        Header(dl[0].Message.Headers, PipelineHeaders.ReasonDetail).Should().Contain("work-order:P100/1000123");
        dl[0].Message.Value.Should().Equal(ContractSerde<ProductionConfirmation>.Codecs.Serialize(orphan, default), "the dead letter carries the record as consumed");
    }

    [Fact]
    public void Dead_lettered_event_can_be_replayed_once_its_cause_is_fixed()
    {
        Reconfigure(o => o.PendingTimeout = TimeSpan.FromSeconds(60));
        var e = Confirmation();
        Pipe(e);
        Elapse(TimeSpan.FromSeconds(70));
        DeadLetters().Should().ContainSingle();

        AllMasterData();
        Pipe(e); // replay from the DLQ: the rejected event was not remembered by dedupe

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

    [Fact]
    public void Scrap_report_becomes_a_command()
    {
        AllMasterData();
        Pipe(Scrap());
        Commands().Should().ContainSingle();
    }

    [Fact]
    public void Tasks_refuse_to_open_once_the_dirty_close_guard_has_tripped()
    {
        var guard = new DirtyCloseGuard();
        var config = new StreamConfig<StringSerDes, ByteArraySerDes> { ApplicationId = "streamiz-guard-test", StateDir = _stateDir, Guarantee = ProcessingGuarantee.EXACTLY_ONCE };
        void OpenTask()
        {
            using var driver = new TopologyTestDriver(StreamizTopology.Build(_codecs, _options, "streamiz-guard-test", closeGuard: guard), config);
            driver.CreateInputTopic<string, byte[]>(T.ScrapReports); // the driver opens the topic's task here
        }

        OpenTask();
        guard.Reason.Should().BeNull("an untripped guard lets tasks open");

        guard.Trip("test: tasks closed dirty");
        var reopen = OpenTask;
        reopen.Should().Throw<InvalidOperationException>().WithMessage("*not reopened*test: tasks closed dirty*");
    }

    /// <summary>Fails with a transient error a number of times, then decodes.</summary>
    private sealed class FlakyDeserializer<TV>(IAsyncDeserializer<TV> inner, int failures) : IAsyncDeserializer<TV>
    {
        public int Calls { get; private set; }

        public Task<TV> DeserializeAsync(ReadOnlyMemory<byte> data, bool isNull, SerializationContext context) =>
            ++Calls <= failures ? Task.FromException<TV>(new TimeoutException("registry unreachable")) : inner.DeserializeAsync(data, isNull, context);
    }
}
