using System.Text.Json;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Pipeline;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.TestUtils;
using Confluent.Kafka;

namespace MesErpStreams.Lineage.IntegrationTests;

public sealed class TraceCommandTests(PipelineRunFixture run) : IClassFixture<PipelineRunFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Edge_event_is_traced_through_command_to_posting_with_one_trace_id()
    {
        await Eventually.TrueAsync(() => run.Records("erp.posting-results", run.Posted).Count > 0, Bound, "the posting result", TimeSpan.FromMilliseconds(500));

        var (exit, stdout, stderr) = await run.TraceAsync(run.Posted.ToString(), "--json", "--from", "1h");

        exit.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var hops = root.GetProperty("hops").EnumerateArray().ToList();
        hops.Select(h => h.GetProperty("hop").GetString()).Should().Equal("published", "command emitted", "posted");
        hops[0].GetProperty("outcome").GetString().Should().Be("processed");
        hops[0].GetProperty("topic").GetString().Should().Be(PipelineTopology.Topics.ProductionConfirmations);
        hops[0].GetProperty("details").GetProperty("edge_id").GetString().Should().NotBeNullOrEmpty("the record came through the edge outbox");
        hops[1].GetProperty("details").GetProperty("idempotency_key").GetString().Should().Be("OC-" + run.Posted.ToString("N"));
        var document = hops[2].GetProperty("details").GetProperty("erp_document_number").GetString();
        document.Should().NotBeNullOrEmpty();
        hops[1].GetProperty("latency_ms").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        hops[2].GetProperty("latency_ms").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        root.GetProperty("path").GetString().Should().Be($"published (processed) → command emitted → posted (document {document})");
        root.GetProperty("trace_continuous").GetBoolean().Should().BeTrue();
        root.GetProperty("trace_ids").EnumerateArray().Single().GetString().Should().Be(TraceParent.ForEvent(run.Posted).TraceId,
            "the edge starts the trace of an untraced event from its id");

        // The same trace id in the headers of the event, the command and the result, each hop its own span.
        var evt = run.Records(PipelineTopology.Topics.ProductionConfirmations, run.Posted).Should().ContainSingle().Subject;
        var cmd = run.Records(PipelineTopology.Topics.PostingCommands, run.Posted).Should().ContainSingle().Subject;
        var result = run.Records("erp.posting-results", run.Posted).Should().ContainSingle().Subject;
        var traceId = PipelineRunFixture.TraceId(evt);
        PipelineRunFixture.TraceId(cmd).Should().Be(traceId);
        PipelineRunFixture.TraceId(result).Should().Be(traceId);
        new[] { PipelineRunFixture.SpanId(evt), PipelineRunFixture.SpanId(cmd), PipelineRunFixture.SpanId(result) }.Should().OnlyHaveUniqueItems();

        // ... and the values' trace fields say the same as the headers.
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = run.RegistryUrl });
        var command = await new AvroDeserializer<ErpPostingCommand>(registry, ErpPostingCommand.Schema)
            .DeserializeAsync(cmd.Message.Value, false, new SerializationContext(MessageComponentType.Value, cmd.Topic));
        var posting = await new AvroDeserializer<PostingResult>(registry, PostingResult.Schema)
            .DeserializeAsync(result.Message.Value, false, new SerializationContext(MessageComponentType.Value, result.Topic));
        command.Trace!.Traceparent.Should().Be(Header(cmd));
        posting.Trace!.Traceparent.Should().Be(Header(result));
        posting.ErpDocumentNumber.Should().Be(document);

        var text = await run.TraceAsync(run.Posted.ToString(), "--from", "1h");
        text.ExitCode.Should().Be(0);
        text.Stdout.Should().Contain($"ERP document {document}").And.Contain($"trace: {traceId} on 3 hop(s), 3 distinct span(s)");
    }

    [Fact]
    public async Task Invalid_event_is_traced_to_its_dead_letter_with_the_reason()
    {
        await Eventually.TrueAsync(() => run.Records(PipelineTopology.Topics.EventsDeadLetter, run.Invalid).Count > 0, Bound, "the dead letter", TimeSpan.FromMilliseconds(500));

        var (exit, stdout, stderr) = await run.TraceAsync(run.Invalid.ToString(), "--json");

        exit.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var hops = json.RootElement.GetProperty("hops").EnumerateArray().ToList();
        hops.Select(h => h.GetProperty("hop").GetString()).Should().Equal("published", "dead-lettered");
        hops[0].GetProperty("outcome").GetString().Should().StartWith("rejected");
        hops[1].GetProperty("topic").GetString().Should().Be(PipelineTopology.Topics.EventsDeadLetter);
        hops[1].GetProperty("details").GetProperty("reason").GetString().Should().Be("QUANTITY_NOT_POSITIVE");
        hops[1].GetProperty("outcome").GetString().Should().Contain("must be positive");
        json.RootElement.GetProperty("path").GetString().Should().Be("published (rejected) → dead-lettered (QUANTITY_NOT_POSITIVE)");
        json.RootElement.GetProperty("trace_continuous").GetBoolean().Should().BeTrue("the dead letter is a child span of the event's trace");
        var dlq = run.Records(PipelineTopology.Topics.EventsDeadLetter, run.Invalid).Single();
        Header(dlq).Should().Be(TraceParent.ForEvent(run.Invalid).Child("dead-letter").Value);
    }

    [Fact]
    public async Task Second_copy_of_an_event_is_shown_as_deduplicated()
    {
        await Eventually.TrueAsync(() => run.Records("erp.posting-results", run.SentTwice).Count > 0, Bound, "the posting result", TimeSpan.FromMilliseconds(500));

        var (exit, stdout, stderr) = await run.TraceAsync(run.SentTwice.ToString(), "--json");

        exit.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var hops = json.RootElement.GetProperty("hops").EnumerateArray().ToList();
        var published = hops.Where(h => h.GetProperty("hop").GetString() == "published").ToList();
        published.Should().HaveCount(2);
        published[0].GetProperty("outcome").GetString().Should().Be("processed");
        published[1].GetProperty("outcome").GetString().Should().StartWith("deduplicated (same event id as " + PipelineTopology.Topics.ProductionConfirmations);
        hops.Count(h => h.GetProperty("hop").GetString() == "command emitted").Should().Be(1);
        hops.Count(h => h.GetProperty("hop").GetString() == "posted").Should().Be(1);
    }

    [Fact]
    public async Task An_event_waiting_for_master_data_is_traced_as_waiting_with_the_key_it_waits_for()
    {
        // Issue 25: an event must never wait silently; trace said only "no downstream record in range".
        var waitsFor = $"work-order:{PipelineRunFixture.Plant}/{run.UnknownOrder}";
        string stdout = string.Empty;
        await Eventually.TrueAsync(async () =>
        {
            var trace = await run.TraceAsync(run.Waiting.ToString(), "--json");
            stdout = trace.Stdout;
            return trace.ExitCode == 0 && stdout.Contains("\"waiting\"", StringComparison.Ordinal);
        }, Bound, "the waiting event in the pending store's changelog", TimeSpan.FromSeconds(1));

        using var json = JsonDocument.Parse(stdout);
        var hops = json.RootElement.GetProperty("hops").EnumerateArray().ToList();
        hops.Select(h => h.GetProperty("hop").GetString()).Should().Equal("published", "waiting");
        hops[0].GetProperty("outcome").GetString().Should().Be("waiting (see the next hop)");
        hops[1].GetProperty("topic").GetString().Should().Be("meserp-processor-pending-events-changelog");
        hops[1].GetProperty("details").GetProperty("waiting_for").GetString().Should().Be(waitsFor);
        hops[1].GetProperty("details").GetProperty("task").GetString().Should().MatchRegex("^0-[0-9]+$");
        hops[1].GetProperty("outcome").GetString().Should().StartWith($"waiting for master data {waitsFor} (task 0-");
        json.RootElement.GetProperty("path").GetString().Should().Be($"published (held back) → waiting (for {waitsFor})");
    }

    [Fact]
    public async Task Unknown_event_id_exits_1()
    {
        var (exit, stdout, _) = await run.TraceAsync(Guid.NewGuid().ToString(), "--from", "30m");
        exit.Should().Be(1);
        stdout.Should().Contain("not found in the range");
    }

    [Theory]
    [InlineData("not-a-uuid", "--json", "event-id: 'not-a-uuid' is not a UUID")]
    [InlineData("6f9619ff-8b86-d011-b42d-00cf4fc964ff", "--from=yesterday", "--from: 'yesterday' is neither an ISO 8601 time")]
    [InlineData("6f9619ff-8b86-d011-b42d-00cf4fc964ff", "--timeout=soon", "--timeout")]
    public async Task Bad_flags_exit_2_naming_the_flag(string id, string flag, string message)
    {
        var (exit, _, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(30), "trace", id, flag, "--bootstrap-servers", "127.0.0.1:9");
        exit.Should().Be(2);
        stderr.Should().Contain(message);
    }

    private static string Header(ConsumeResult<string, byte[]> r) =>
        System.Text.Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(PipelineHeaders.TraceParent));
}
