using System.Text.Json.Serialization;

namespace MesErpStreams.PipelineBench;

/// <summary>One point of the benchmark: what was offered, what the pipeline achieved, whether it reconciled.</summary>
internal sealed record BenchRow
{
    /// <summary>Name of the point, e.g. <c>1p-r2000-erp50</c>; names the log files.</summary>
    [JsonPropertyName("point")] public required string Point { get; init; }

    /// <summary><c>1 process</c> (<c>meserp run</c>) or <c>2 proc + 2 sink</c> (separate processes).</summary>
    [JsonPropertyName("setup")] public required string Setup { get; init; }

    /// <summary>grid, search or multi-process.</summary>
    [JsonPropertyName("phase")] public required string Phase { get; init; }

    [JsonPropertyName("rate_target_per_s")] public required double RateTarget { get; init; }

    [JsonPropertyName("erp_latency_ms")] public required int ErpLatencyMs { get; init; }

    [JsonPropertyName("offer_seconds")] public double OfferSeconds { get; init; }

    [JsonPropertyName("events_published")] public long EventsPublished { get; init; }

    [JsonPropertyName("events_offered_per_s")] public double EventsOfferedPerSecond { get; init; }

    [JsonPropertyName("expected_postings")] public long ExpectedPostings { get; init; }

    [JsonPropertyName("postings_per_s")] public double PostingsPerSecond { get; init; }

    [JsonPropertyName("backlog_at_end")] public long BacklogAtEnd { get; init; }

    [JsonPropertyName("backlog_seconds")] public double BacklogSeconds { get; init; }

    [JsonPropertyName("e2e_latency_ms_p50")] public double? E2eP50 { get; init; }

    [JsonPropertyName("e2e_latency_ms_p99")] public double? E2eP99 { get; init; }

    /// <summary>Which timestamps the e2e figures come from.</summary>
    [JsonPropertyName("e2e_source")] public string? E2eSource { get; init; }

    [JsonPropertyName("command_to_ack_ms_p50")] public double? CommandToAckP50 { get; init; }

    [JsonPropertyName("command_to_ack_ms_p99")] public double? CommandToAckP99 { get; init; }

    [JsonPropertyName("cpu_seconds_per_1000_events")] public double CpuSecondsPer1000Events { get; init; }

    [JsonPropertyName("postings_missing")] public long PostingsMissing { get; init; }

    /// <summary>Documents beyond one per expected posting (a key twice, or a key no event implies).</summary>
    [JsonPropertyName("postings_extra")] public long PostingsExtra { get; init; }

    /// <summary>Nothing lost, nothing doubled (a run that did not finish has not reconciled).</summary>
    [JsonPropertyName("reconciliation_ok")] public bool ReconciliationOk { get; init; }

    [JsonPropertyName("drain_seconds")] public double DrainSeconds { get; init; }

    /// <summary>The drain was ended by <c>--max-drain</c> while postings were still arriving: missing postings were on their way.</summary>
    [JsonPropertyName("drain_cut_off")] public bool DrainCutOff { get; init; }

    /// <summary>Postings are missing only because the drain was cut off while they were still arriving (not judged lost).</summary>
    [JsonIgnore] public bool Undrained => !ReconciliationOk && DrainCutOff && PostingsExtra == 0;

    /// <summary>A completed run with nothing doubled and nothing missing except what was still draining.</summary>
    [JsonIgnore] public bool Passed => RunOk && (ReconciliationOk || Undrained);

    /// <summary>The run completed (processes started, summary written); false is a failure of the benchmark.</summary>
    [JsonPropertyName("run_ok")] public bool RunOk { get; init; }

    /// <summary>Exit code of <c>meserp run</c> (single-process points).</summary>
    [JsonPropertyName("exit_code")] public int? ExitCode { get; init; }

    /// <summary>Whether the point meets the sustain criterion (<see cref="BenchOptions"/>).</summary>
    [JsonPropertyName("sustained")] public bool Sustained { get; init; }

    [JsonPropertyName("wall_seconds")] public double WallSeconds { get; init; }

    [JsonPropertyName("note")] public string? Note { get; init; }

    [JsonPropertyName("log")] public string? Log { get; init; }

    /// <summary>The row of a run that did not complete.</summary>
    public static BenchRow Failed(string point, string setup, string phase, double rate, int erpLatencyMs, string note, string? log) => new()
    {
        Point = point, Setup = setup, Phase = phase, RateTarget = rate, ErpLatencyMs = erpLatencyMs, RunOk = false, Note = note, Log = log,
    };

    /// <summary>This row with <see cref="Sustained"/> judged.</summary>
    public BenchRow Judged() => this with
    {
        Sustained = RunOk && ReconciliationOk
                    && BacklogSeconds <= BenchOptions.MaxBacklogSeconds
                    && E2eP99 is <= BenchOptions.MaxE2eP99Ms
                    && EventsOfferedPerSecond >= BenchOptions.MinOfferedShare * RateTarget,
    };
}
