using System.Text.Json;
using System.Text.Json.Serialization;
using MesErpStreams.Edge.Simulation;

namespace MesErpStreams.Cli.Run;

/// <summary>The final summary of <c>meserp run</c> (printed, and written with <c>--summary-json</c>).</summary>
internal sealed record RunSummary
{
    [JsonPropertyName("events_published")] public long EventsPublished { get; init; }

    [JsonPropertyName("duplicates_sent")] public long DuplicatesSent { get; init; }

    [JsonPropertyName("invalid_sent")] public long InvalidSent { get; init; }

    [JsonPropertyName("duplicates_dropped")] public long DuplicatesDropped { get; init; }

    [JsonPropertyName("commands_emitted")] public long CommandsEmitted { get; init; }

    [JsonPropertyName("postings_posted")] public long PostingsPosted { get; init; }

    [JsonPropertyName("postings_duplicate")] public long PostingsDuplicate { get; init; }

    [JsonPropertyName("postings_rejected")] public long PostingsRejected { get; init; }

    [JsonPropertyName("dead_letters")] public long DeadLetters { get; init; }

    [JsonPropertyName("offer_seconds")] public double OfferSeconds { get; init; }

    [JsonPropertyName("events_offered_per_s")] public double EventsOfferedPerSecond { get; init; }

    [JsonPropertyName("postings_per_s")] public double PostingsPerSecond { get; init; }

    [JsonPropertyName("backlog_at_end")] public long BacklogAtEnd { get; init; }

    [JsonPropertyName("backlog_seconds")] public double BacklogSeconds { get; init; }

    [JsonPropertyName("cpu_seconds_per_1000_events")] public double CpuSecondsPer1000Events { get; init; }

    /// <summary>Event accepted at the edge → ERP acknowledged (<c>meserp.sink.end_to_end.latency</c>); 0 without samples.</summary>
    [JsonPropertyName("e2e_latency_ms_p50")] public double E2eLatencyMsP50 { get; init; }

    [JsonPropertyName("e2e_latency_ms_p99")] public double E2eLatencyMsP99 { get; init; }

    /// <summary>Command created → ERP acknowledged (<c>meserp.sink.command_to_ack.latency</c>); absent without samples.</summary>
    [JsonPropertyName("command_to_ack_ms_p50")] public double? CommandToAckMsP50 { get; init; }

    [JsonPropertyName("command_to_ack_ms_p99")] public double? CommandToAckMsP99 { get; init; }

    /// <summary>MES occurredAt → ERP acknowledged (<c>meserp.sink.occurred_to_ack.latency</c>); absent without samples.</summary>
    [JsonPropertyName("occurred_to_ack_ms_p50")] public double? OccurredToAckMsP50 { get; init; }

    [JsonPropertyName("occurred_to_ack_ms_p99")] public double? OccurredToAckMsP99 { get; init; }

    [JsonPropertyName("expected_postings")] public int ExpectedPostings { get; init; }

    [JsonPropertyName("ledger_documents")] public int LedgerDocuments { get; init; }

    [JsonPropertyName("postings_missing")] public int PostingsMissing { get; init; }

    [JsonPropertyName("postings_extra")] public int PostingsExtra { get; init; }

    [JsonPropertyName("dead_letters_missing")] public int DeadLettersMissing { get; init; }

    [JsonPropertyName("reconciliation_ok")] public bool ReconciliationOk { get; init; }

    [JsonPropertyName("drain_seconds")] public double DrainSeconds { get; init; }

    /// <summary>The drain ended with every expected posting in the ledger.</summary>
    [JsonPropertyName("drain_complete")] public bool DrainComplete { get; init; }

    /// <summary><c>--max-drain</c> ended the drain while postings were still arriving: the missing ones were on their way.</summary>
    [JsonPropertyName("drain_cut_off")] public bool DrainCutOff { get; init; }

    [JsonPropertyName("elapsed_seconds")] public double ElapsedSeconds { get; init; }

    public static RunSummary From(MesSimulatorStats stats, RunMetrics m, Reconciliation r, OfferFigures offer, DrainResult drain, TimeSpan elapsed) => new()
    {
        EventsPublished = stats.EventsPublished,
        DuplicatesSent = stats.DuplicatesSent,
        InvalidSent = stats.InvalidSent,
        DuplicatesDropped = m.Get("meserp.pipeline.duplicates"),
        CommandsEmitted = m.Get("meserp.pipeline.commands"),
        PostingsPosted = m.Get("meserp.sink.postings", "posted"),
        PostingsDuplicate = m.Get("meserp.sink.postings", "duplicate"),
        PostingsRejected = m.Get("meserp.sink.postings", "rejected"),
        DeadLetters = m.Get("meserp.pipeline.dead_letters") + m.Get("meserp.sink.dead_letters"),
        OfferSeconds = offer.OfferSeconds,
        EventsOfferedPerSecond = offer.EventsOfferedPerSecond,
        PostingsPerSecond = offer.PostingsPerSecond,
        BacklogAtEnd = offer.BacklogAtEnd,
        BacklogSeconds = offer.BacklogSeconds,
        CpuSecondsPer1000Events = offer.CpuSecondsPer1000Events,
        E2eLatencyMsP50 = m.EndToEnd.PercentileMs(50) ?? 0,
        E2eLatencyMsP99 = m.EndToEnd.PercentileMs(99) ?? 0,
        CommandToAckMsP50 = m.CommandToAck.PercentileMs(50),
        CommandToAckMsP99 = m.CommandToAck.PercentileMs(99),
        OccurredToAckMsP50 = m.OccurredToAck.PercentileMs(50),
        OccurredToAckMsP99 = m.OccurredToAck.PercentileMs(99),
        ExpectedPostings = r.ExpectedPostings,
        LedgerDocuments = r.LedgerDocuments,
        PostingsMissing = r.Missing,
        PostingsExtra = r.Extra + r.DoubledKeys,
        DeadLettersMissing = r.DeadLettersMissing,
        ReconciliationOk = r.Ok,
        DrainSeconds = Math.Round(drain.Elapsed.TotalSeconds, 1),
        DrainComplete = drain.Complete,
        DrainCutOff = drain.CutOff,
        ElapsedSeconds = Math.Round(elapsed.TotalSeconds, 1),
    };

    public void Print(TextWriter w)
    {
        w.WriteLine("== meserp run summary");
        w.WriteLine($"events published {EventsPublished} (duplicates sent {DuplicatesSent}, invalid sent {InvalidSent}); duplicates dropped {DuplicatesDropped}");
        w.WriteLine($"commands emitted {CommandsEmitted}; postings: posted {PostingsPosted}, duplicate {PostingsDuplicate}, rejected {PostingsRejected}; dead letters {DeadLetters}");
        w.WriteLine($"offered {EventsOfferedPerSecond} events/s for {OfferSeconds} s; ERP postings {PostingsPerSecond}/s meanwhile; backlog when the simulator stopped {BacklogAtEnd} postings ({BacklogSeconds} s); CPU {CpuSecondsPer1000Events} s per 1,000 events");
        w.WriteLine($"end-to-end latency (event accepted -> ERP acknowledged): p50 {E2eLatencyMsP50} ms, p99 {E2eLatencyMsP99} ms");
        w.WriteLine($"command created -> ERP acknowledged: {Pair(CommandToAckMsP50, CommandToAckMsP99)}; MES occurredAt -> ERP acknowledged: {Pair(OccurredToAckMsP50, OccurredToAckMsP99)}");
        w.WriteLine($"drain: {DrainSeconds} s, {DrainOutcome}");
        w.WriteLine($"reconciliation: expected {ExpectedPostings} postings, ledger holds {LedgerDocuments} documents; missing {PostingsMissing}, extra {PostingsExtra}, invalid events not dead-lettered {DeadLettersMissing} => {(ReconciliationOk ? "OK" : "FAILED")}");
    }

    public async Task WriteJsonAsync(string path)
    {
        await using var f = File.Create(path);
        await JsonSerializer.SerializeAsync(f, this, RunSummaryJson.Default.RunSummary);
    }

    private string DrainOutcome => DrainComplete ? "complete"
        : DrainCutOff ? "cut off by --max-drain while postings were still arriving (the missing postings below were still on their way)"
        : "ended with the ERP ledger no longer growing";

    private static string Pair(double? p50, double? p99) => p50 is null ? "no samples" : $"p50 {p50} ms, p99 {p99} ms";
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class RunSummaryJson : JsonSerializerContext;
