using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MesErpStreams.Cli.Run;
using MesErpStreams.Harness;

namespace MesErpStreams.PipelineBench;

/// <summary>
/// One point as one <c>meserp run</c> process: embedded Kafka and registry, ERP simulator, processor, sink and MES
/// simulator in one process; its <c>--summary-json</c> has every figure (the run measures its own offer window).
/// </summary>
internal static class SingleProcessPoint
{
    public const string Setup = "1 process";

    public static async Task<BenchRow> RunAsync(BenchOptions o, string phase, double rate, int erpLatencyMs, TextWriter log, CancellationToken ct)
    {
        var point = string.Create(CultureInfo.InvariantCulture, $"1p-r{rate:0}-erp{erpLatencyMs}");
        var summaryPath = Path.Combine(o.WorkDirectory, point + ".summary.json");
        File.Delete(summaryPath);
        var duration = RunBudget.DurationFor(o.Offer);
        string[] args =
        [
            "run", "--duration", Invariant($"{duration.TotalSeconds:0}s"), "--rate", Invariant($"{rate}"), "--erp-latency-ms", Invariant($"{erpLatencyMs}"),
            "--plants", Invariant($"{o.Plants}"), "--active-orders", Invariant($"{o.ActiveOrders}"), "--seed", Invariant($"{o.Seed}"),
            "--summary-json", summaryPath, "--summary-interval", "10s", "--max-drain", Invariant($"{o.MaxDrain.TotalSeconds:0}s"),
        ];
        await using var run = new ChildProcess(point, o.Meserp, args, new Dictionary<string, string>(), o.WorkDirectory);
        await log.WriteLineAsync($"-- {point}: meserp {string.Join(' ', args)}");
        run.Watch(line =>
        {
            if (line.StartsWith('[') || line.StartsWith("still draining", StringComparison.Ordinal) || line.StartsWith("drain cut off", StringComparison.Ordinal)
                || line.StartsWith("meserp:", StringComparison.Ordinal))
            {
                log.WriteLine("   " + line);
            }
        });
        var clock = Stopwatch.StartNew();
        run.Start();
        int exit;
        try
        {
            // Start-up, the offer, the drain and the reconciliation.
            exit = await run.WaitForExitAsync(Timeout(o, duration), ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await run.KillAsync();
            return BenchRow.Failed(point, Setup, phase, rate, erpLatencyMs, $"no exit within {Timeout(o, duration).TotalMinutes:0} min; killed", run.LogPath);
        }

        if (!File.Exists(summaryPath))
        {
            return BenchRow.Failed(point, Setup, phase, rate, erpLatencyMs, $"meserp run exited with {exit} without a summary", run.LogPath) with { ExitCode = exit };
        }

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath, ct));
        var s = doc.RootElement;
        var missing = s.GetProperty("postings_missing").GetInt64();
        var extra = s.GetProperty("postings_extra").GetInt64();
        var note = exit switch
        {
            0 => null,
            1 when missing == 0 && extra == 0 => "meserp run exited 1: invalid events not dead-lettered, or the topic-vs-ledger check found a gap (see the log)",
            1 => null, // missing or extra postings: the row says which
            _ => $"meserp run exited with {exit}",
        };
        return new BenchRow
        {
            Point = point, Setup = Setup, Phase = phase, RateTarget = rate, ErpLatencyMs = erpLatencyMs,
            OfferSeconds = s.GetProperty("offer_seconds").GetDouble(),
            EventsPublished = s.GetProperty("events_published").GetInt64(),
            EventsOfferedPerSecond = s.GetProperty("events_offered_per_s").GetDouble(),
            ExpectedPostings = s.GetProperty("expected_postings").GetInt64(),
            PostingsPerSecond = s.GetProperty("postings_per_s").GetDouble(),
            BacklogAtEnd = s.GetProperty("backlog_at_end").GetInt64(),
            BacklogSeconds = s.GetProperty("backlog_seconds").GetDouble(),
            E2eP50 = s.GetProperty("e2e_latency_ms_p50").GetDouble(),
            E2eP99 = s.GetProperty("e2e_latency_ms_p99").GetDouble(),
            E2eSource = "sink histogram meserp.sink.end_to_end.latency",
            CommandToAckP50 = Optional(s, "command_to_ack_ms_p50"),
            CommandToAckP99 = Optional(s, "command_to_ack_ms_p99"),
            CpuSecondsPer1000Events = s.GetProperty("cpu_seconds_per_1000_events").GetDouble(),
            PostingsMissing = missing,
            PostingsExtra = extra,
            ReconciliationOk = missing == 0 && extra == 0,
            DrainSeconds = s.TryGetProperty("drain_seconds", out var d) ? d.GetDouble() : 0,
            DrainCutOff = s.TryGetProperty("drain_cut_off", out var c) && c.GetBoolean(),
            RunOk = exit is 0 or 1,
            ExitCode = exit,
            WallSeconds = Math.Round(clock.Elapsed.TotalSeconds),
            Note = note,
            Log = run.LogPath,
        }.Judged();
    }

    private static TimeSpan Timeout(BenchOptions o, TimeSpan duration) => duration + o.MaxDrain + TimeSpan.FromMinutes(10);

    private static double? Optional(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
