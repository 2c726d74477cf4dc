using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Lineage.Internal;
using MesErpStreams.Pipeline;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.Sink;

namespace MesErpStreams.Lineage.UnitTests;

/// <summary>Hops built from headers alone (values null: nothing is decoded, the registry is never called).</summary>
public sealed class LineageBuilderTests : IDisposable
{
    private static readonly Guid Id = Guid.Parse("35548191-0a7b-42ea-b1fa-06747c8eb987");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);
    private static readonly LineageTopic Events = new(PipelineTopology.Topics.ProductionConfirmations, Stage.Event);
    private static readonly LineageTopic Dlq = new(PipelineTopology.Topics.EventsDeadLetter, Stage.EventDeadLetter);
    private static readonly LineageTopic Commands = new(PipelineTopology.Topics.PostingCommands, Stage.Command);
    private static readonly LineageTopic Retry2 = new("erp.posting-commands.retry-2", Stage.Retry, 2);
    private readonly CachedSchemaRegistryClient _registry = new(new SchemaRegistryClientOptions { Url = "http://127.0.0.1:9" });

    public void Dispose() => _registry.Dispose();

    [Fact]
    public void Event_id_headers_match_without_decoding()
    {
        LineageHeaders.EventId(H((PipelineHeaders.EventId, Id.ToString())), Id).Should().Be(LineageHeaders.Match.Yes);
        LineageHeaders.EventId(H((PipelineHeaders.EventId, Id.ToString().ToUpperInvariant())), Id).Should().Be(LineageHeaders.Match.Yes);
        LineageHeaders.EventId(H((PipelineHeaders.EventId, Guid.NewGuid().ToString()), (PipelineHeaders.EventId, Id.ToString())), Id).Should().Be(LineageHeaders.Match.Yes);
        LineageHeaders.EventId(H((PipelineHeaders.EventId, Guid.NewGuid().ToString())), Id).Should().Be(LineageHeaders.Match.No);
        LineageHeaders.EventId(H((PipelineHeaders.EventId, Id + "x")), Id).Should().Be(LineageHeaders.Match.No);
        LineageHeaders.EventId(H(("traceparent", "x")), Id).Should().Be(LineageHeaders.Match.Absent);
        LineageHeaders.EventId(null, Id).Should().Be(LineageHeaders.Match.Absent);
    }

    [Fact]
    public async Task Second_copy_of_a_processed_event_is_reported_as_deduplicated()
    {
        var root = TraceParent.ForEvent(Id);
        var command = root.Child("OC-1");
        var records = new[]
        {
            Rec(Events, 7, T0.AddSeconds(5), (PipelineHeaders.EventId, Id.ToString()), ("traceparent", root.Value!)),
            Rec(Events, 3, T0, (PipelineHeaders.EventId, Id.ToString()), ("traceparent", root.Value!)),
            Rec(Commands, 1, T0.AddMilliseconds(300), (PipelineHeaders.EventId, Id.ToString()), (PipelineHeaders.IdempotencyKey, "OC-1"),
                (PipelineHeaders.EventTopic, Events.Name), (PipelineHeaders.EventPartition, "0"), (PipelineHeaders.EventOffset, "3"), ("traceparent", command.Value!)),
        };

        var hops = await LineageBuilder.BuildAsync(records, new LineageDecoder(_registry));

        hops.Select(h => h.Name).Should().Equal("published", "command emitted", "published");
        hops[0].Outcome.Should().Be("processed");
        hops[1].Details["idempotency_key"].Should().Be("OC-1");
        hops[1].Latency.Should().Be(TimeSpan.FromMilliseconds(300));
        hops[2].Outcome.Should().Be($"deduplicated (same event id as {Events.Name}[0]@3)");
        var lineage = new EventLineage(Id, hops, 3, [], T0, T0.AddHours(1));
        lineage.TraceIds.Should().Equal(root.TraceId);
        LineageFormatter.Path(lineage).Should().Be("published (processed) → command emitted → published (deduplicated)");
    }

    [Fact]
    public async Task Rejected_copy_and_its_dead_letter_are_reported_with_the_reason()
    {
        var records = new[]
        {
            Rec(Events, 4, T0, (PipelineHeaders.EventId, Id.ToString())),
            Rec(Dlq, 0, T0.AddSeconds(9), (PipelineHeaders.EventId, Id.ToString()), (PipelineHeaders.Reason, "QUANTITY_NOT_POSITIVE"),
                (PipelineHeaders.ReasonDetail, "quantity -1 PC must be positive"), (PipelineHeaders.SourceTopic, Events.Name),
                (PipelineHeaders.SourcePartition, "0"), (PipelineHeaders.SourceOffset, "4"),
                (PipelineHeaders.DeadLetteredAt, T0.AddMilliseconds(250).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture))),
        };

        var hops = await LineageBuilder.BuildAsync(records, new LineageDecoder(_registry));

        hops.Select(h => h.Name).Should().Equal("published", "dead-lettered");
        hops[0].Outcome.Should().StartWith("rejected");
        hops[1].Time.Should().Be(T0.AddMilliseconds(250), "the dead-letter time comes from its header, not the record timestamp");
        hops[1].Outcome.Should().Be("by the processor: QUANTITY_NOT_POSITIVE: quantity -1 PC must be positive");
        var lineage = new EventLineage(Id, hops, 2, [], T0, T0.AddHours(1));
        lineage.UntracedHops.Should().Be(2);
        LineageFormatter.Path(lineage).Should().Be("published (rejected) → dead-lettered (QUANTITY_NOT_POSITIVE)");
    }

    [Fact]
    public async Task Retry_records_say_their_tier_and_failure()
    {
        var records = new[]
        {
            Rec(Retry2, 0, T0, (SinkHeaders.EventId, Id.ToString()), (SinkHeaders.FailureClass, "server-error"), (SinkHeaders.HttpStatus, "503"),
                (SinkHeaders.Message, "unavailable"), (SinkHeaders.Attempts, "2")),
            Rec(Retry2, 1, T0.AddSeconds(1), (SinkHeaders.EventId, Id.ToString()), (SinkHeaders.HeldBehind, "true")),
        };

        var hops = await LineageBuilder.BuildAsync(records, new LineageDecoder(_registry));

        hops[0].Outcome.Should().Be("tier 2 after attempt 2: server-error 503 unavailable");
        hops[1].Outcome.Should().Be("tier 2: held behind an earlier failed command of key 1000/4711");
    }

    [Theory]
    [InlineData(0.25, "+250 ms")]
    [InlineData(1.5, "+1.5 s")]
    [InlineData(600, "+10.0 min")]
    [InlineData(-0.1, "-100 ms")]
    public void Latencies_are_printed_in_a_readable_unit(double seconds, string expected) =>
        LineageFormatter.Duration(TimeSpan.FromSeconds(seconds)).Should().Be(expected);

    private static MatchedRecord Rec(LineageTopic topic, long offset, DateTimeOffset ts, params (string Key, string Value)[] headers) =>
        new(topic, 0, offset, ts, "1000/4711", H(headers), null);

    private static Headers H(params (string Key, string Value)[] headers)
    {
        var h = new Headers();
        foreach (var (k, v) in headers)
        {
            h.Add(k, Encoding.UTF8.GetBytes(v));
        }

        return h;
    }
}
