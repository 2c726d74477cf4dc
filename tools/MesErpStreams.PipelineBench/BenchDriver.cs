using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MesErpStreams.PipelineBench;

/// <summary>
/// Runs the points one after another: the single-process grid (every rate × every ERP latency), the search for the
/// highest rate sustained with the ERP at 0 ms, the multi-process point; prints each row as it completes, then the
/// table, and writes the JSON. Exit code 1 when a run failed or lost or doubled a posting, else 0.
/// </summary>
internal sealed class BenchDriver(BenchOptions o, TextWriter log)
{
    private readonly List<BenchRow> _rows = [];

    public async Task<int> RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(o.WorkDirectory);
        var clock = Stopwatch.StartNew();
        await log.WriteLineAsync(Invariant($"pipeline benchmark: {o.Offer.TotalSeconds:0} s of offered load per point (drain at most {o.MaxDrain.TotalSeconds:0} s), {o.Plants} plants x {o.ActiveOrders} active orders, seed {o.Seed}"));
        await log.WriteLineAsync($"meserp {o.Meserp}; logs and summaries in {o.WorkDirectory}");
        await log.WriteLineAsync(RowTable.Header());

        foreach (var rate in o.Rates)
        {
            foreach (var latency in o.ErpLatencies)
            {
                await AddAsync(await SingleProcessPoint.RunAsync(o, "grid", rate, latency, log, ct));
            }
        }

        if (o.MaxRate > 0)
        {
            await SearchAsync(ct);
        }

        if (o.MultiRate > 0)
        {
            await AddAsync(await MultiProcessPoint.RunAsync(o, o.MultiRate, 0, log, ct));
        }

        var highest = _rows.Where(r => r.Setup == SingleProcessPoint.Setup && r.ErpLatencyMs == 0 && r.Sustained)
            .Select(r => (double?)r.EventsOfferedPerSecond).Max();
        var passed = _rows.All(r => r.Passed);
        var report = new BenchReport
        {
            GeneratedAt = DateTimeOffset.UtcNow,
            Machine = $"{Environment.MachineName} ({System.Runtime.InteropServices.RuntimeInformation.OSDescription})",
            ProcessorCount = Environment.ProcessorCount,
            CpuModel = CpuModel(),
            OfferSeconds = o.Offer.TotalSeconds,
            Plants = o.Plants,
            ActiveOrders = o.ActiveOrders,
            Seed = o.Seed,
            SustainCriterion = Invariant(
                $"reconciled, backlog at the end of the offer <= {BenchOptions.MaxBacklogSeconds} s of postings, e2e p99 <= {BenchOptions.MaxE2eP99Ms} ms, offered >= {BenchOptions.MinOfferedShare * 100:0}% of the rate asked for"),
            HighestSustainedRate = highest,
            Rows = _rows,
            Passed = passed,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(o.JsonPath)!);
        // Relaxed escaping: the file is read by people and jq, not embedded in HTML ("<=" stays "<=").
        var json = new JsonSerializerOptions(BenchJson.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, TypeInfoResolver = BenchJson.Default };
        await File.WriteAllTextAsync(o.JsonPath, JsonSerializer.Serialize(report, json.GetTypeInfo(typeof(BenchReport))), ct);

        await log.WriteLineAsync();
        await log.WriteLineAsync(Invariant($"== pipeline benchmark ({clock.Elapsed.TotalMinutes:0.0} min)"));
        await log.WriteAsync(RowTable.Table(_rows));
        await log.WriteLineAsync(highest is { } h
            ? Invariant($"highest rate sustained with the ERP at 0 ms (one process): {h:0} events/s offered ({report.SustainCriterion})")
            : $"no single-process point with the ERP at 0 ms was sustained ({report.SustainCriterion})");
        await log.WriteLineAsync($"rows as JSON: {o.JsonPath}");
        var undrained = _rows.Count(r => r.Undrained);
        await log.WriteLineAsync(!passed ? "bench-pipeline: FAILED (a run failed, or lost or doubled a posting; see the rows)"
            : undrained == 0 ? "bench-pipeline: every run completed; nothing lost, nothing doubled"
            : $"bench-pipeline: every run completed; nothing doubled; {undrained} point(s) not drained within --max-drain (their missing postings were still arriving; raise --max-drain to reconcile them)");
        return passed ? 0 : 1;
    }

    /// <summary>
    /// Steps up by <see cref="BenchOptions.SearchStep"/> from the highest grid rate while the last step was sustained,
    /// up to <see cref="BenchOptions.MaxRate"/>. When the highest grid rate was not sustained but a lower one was, one
    /// point between the two (their geometric mean) narrows it down. At most a handful of points.
    /// </summary>
    private async Task SearchAsync(CancellationToken ct)
    {
        if (!o.ErpLatencies.Contains(0))
        {
            await AddAsync(await SingleProcessPoint.RunAsync(o, "search", o.Rates.Max(), 0, log, ct));
        }

        var atZero = _rows.Where(r => r.Setup == SingleProcessPoint.Setup && r.ErpLatencyMs == 0).OrderBy(r => r.RateTarget).ToList();
        var top = atZero[^1];
        if (top.Sustained)
        {
            for (var rate = Step(top.RateTarget); rate <= o.MaxRate; rate = Step(rate))
            {
                var row = await SingleProcessPoint.RunAsync(o, "search", rate, 0, log, ct);
                await AddAsync(row);
                if (!row.Sustained)
                {
                    break;
                }
            }
        }
        else if (atZero.LastOrDefault(r => r.Sustained) is { } below)
        {
            var between = Math.Round(Math.Sqrt(below.RateTarget * top.RateTarget) / 100) * 100;
            if (between > below.RateTarget && between < top.RateTarget)
            {
                await AddAsync(await SingleProcessPoint.RunAsync(o, "search", between, 0, log, ct));
            }
        }
    }

    /// <summary>The first "model name" of /proc/cpuinfo (Linux), or null.</summary>
    private static string? CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Step(double rate) => Math.Round(rate * BenchOptions.SearchStep / 50) * 50;

    private async Task AddAsync(BenchRow row)
    {
        _rows.Add(row);
        await log.WriteLineAsync(RowTable.Line(row));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
