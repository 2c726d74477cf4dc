using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MesErpStreams.Cli.Run;
using MesErpStreams.Harness;

namespace MesErpStreams.PipelineBench;

/// <summary>
/// One point with the pipeline as separate processes, the way it is deployed: <c>meserp embedded</c> (one broker and
/// the schema registry), <c>meserp erp-sim</c>, two <c>meserp process</c>, two <c>meserp sink</c>, and
/// <c>meserp edge simulate</c> as the publisher. The benchmark measures the offer window itself (see
/// <see cref="OfferSampler"/>): from the publisher's first event to its last, the ERP ledger's count and the CPU time of
/// every process at both ends.
/// End-to-end latency comes from the ERP ledger: each document's postedAt minus the Kafka timestamp of the first
/// record of its event (set when the publisher produced it, i.e. when the edge handed the event to Kafka).
/// </summary>
internal static class MultiProcessPoint
{
    public const string Setup = "2 proc + 2 sink";

    public static async Task<BenchRow> RunAsync(BenchOptions o, double rate, int erpLatencyMs, TextWriter log, CancellationToken ct)
    {
        var point = string.Create(CultureInfo.InvariantCulture, $"2p2s-r{rate:0}-erp{erpLatencyMs}");
        var work = Path.Combine(o.WorkDirectory, point);
        Directory.CreateDirectory(work);
        await log.WriteLineAsync($"-- {point}: embedded cluster, ERP simulator, 2 processors, 2 sinks and a publisher as separate processes; logs in {work}/logs");
        var clock = Stopwatch.StartNew();
        BenchRow Failed(string note) => BenchRow.Failed(point, Setup, "multi-process", rate, erpLatencyMs, note, Path.Combine(work, "logs")) with { WallSeconds = Math.Round(clock.Elapsed.TotalSeconds) };

        MultiProcessPlatform platform;
        try
        {
            platform = await MultiProcessPlatform.StartAsync(o.Meserp, work, erpLatencyMs, ct);
        }
        catch (InvalidOperationException e)
        {
            return Failed("platform did not start: " + e.Message);
        }

        await using (platform)
        {
            using var erp = ErpLedger.Client(platform.ErpUrl);
            var summaryPath = Path.Combine(work, "publisher.summary.json");
            var publisherMetrics = LoopbackPorts.Free();
            await using var publisher = platform.Publisher(
            [
                "edge", "simulate", "--rate", Invariant($"{rate}"), "--duration", Invariant($"{o.Offer.TotalSeconds:0}s"), "--plants", Invariant($"{o.Plants}"),
                "--orders-per-plant", Invariant($"{o.ActiveOrders}"), "--seed", Invariant($"{o.Seed}"), "--summary-json", summaryPath,
                "--metrics-port", Invariant($"{publisherMetrics}"),
            ]);
            var deadline = o.Offer + TimeSpan.FromMinutes(5);
            var samples = await OfferSampler.SampleAsync(publisher, publisherMetrics, erp, platform.CpuOfServices, deadline, ct);
            if (publisher.Running)
            {
                return Failed($"the publisher did not finish within {deadline.TotalSeconds:0} s");
            }

            if (publisher.ExitCode != 0 || !File.Exists(summaryPath))
            {
                return Failed($"the publisher exited with {publisher.ExitCode} (see {publisher.LogPath})");
            }

            var (eventsPublished, expectedKeys) = ReadPublisherSummary(summaryPath);
            if (OfferSampler.Window(samples, eventsPublished) is not { } window)
            {
                return Failed($"no sample saw the publisher's event counter move (metrics on port {publisherMetrics}; see {publisher.LogPath})");
            }

            var (first, last) = window;
            var figures = OfferFigures.Compute(last.At - first.At, eventsPublished, expectedKeys.Count, first.Ledger, last.Ledger, last.Cpu - first.Cpu);
            await log.WriteLineAsync($"   offer done: {eventsPublished} events in {figures.OfferSeconds} s, {last.Ledger} of {expectedKeys.Count} postings in the ledger; draining");

            var (drainTime, cutOff) = await DrainAsync(erp, expectedKeys.Count, o.MaxDrain, log, ct);
            if (platform.Exited() is { } down)
            {
                return Failed($"{down.Name} exited with {down.ExitCode} during the run (see {down.LogPath})");
            }

            var ledger = await ErpLedger.ReadAsync(erp, ct);
            var distinct = ledger.Select(r => r.IdempotencyKey).ToHashSet(StringComparer.Ordinal);
            var missing = expectedKeys.Count(k => !distinct.Contains(k));
            var extra = distinct.Count(k => !expectedKeys.Contains(k)) + (ledger.Count - distinct.Count);
            var (latency, unmatched) = EndToEnd.FromLedger(platform.BootstrapServers, ledger);
            await platform.StopAsync();
            var ok = missing == 0 && extra == 0;
            if (ok && !o.Keep)
            {
                platform.DeleteState();
            }

            return new BenchRow
            {
                Point = point, Setup = Setup, Phase = "multi-process", RateTarget = rate, ErpLatencyMs = erpLatencyMs,
                OfferSeconds = figures.OfferSeconds,
                EventsPublished = eventsPublished,
                EventsOfferedPerSecond = figures.EventsOfferedPerSecond,
                ExpectedPostings = expectedKeys.Count,
                PostingsPerSecond = figures.PostingsPerSecond,
                BacklogAtEnd = figures.BacklogAtEnd,
                BacklogSeconds = figures.BacklogSeconds,
                E2eP50 = latency.PercentileMs(50),
                E2eP99 = latency.PercentileMs(99),
                E2eSource = "ERP ledger postedAt - Kafka timestamp of the event's first record",
                CpuSecondsPer1000Events = figures.CpuSecondsPer1000Events,
                PostingsMissing = missing,
                PostingsExtra = extra,
                ReconciliationOk = ok,
                DrainSeconds = Math.Round(drainTime.TotalSeconds, 1),
                DrainCutOff = cutOff,
                RunOk = true,
                WallSeconds = Math.Round(clock.Elapsed.TotalSeconds),
                Note = unmatched > 0 ? $"{unmatched} ledger documents without a matching event record (left out of the latency)" : null,
                Log = Path.Combine(work, "logs"),
            }.Judged();
        }
    }

    private static (long Events, HashSet<string> ExpectedKeys) ReadPublisherSummary(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var s = doc.RootElement;
        var keys = s.GetProperty("expected_idempotency_keys").EnumerateArray().Select(k => k.GetString()!).ToHashSet(StringComparer.Ordinal);
        return (s.GetProperty("events_published").GetInt64(), keys);
    }

    /// <summary>
    /// Waits until the ledger holds every expected posting, the way <c>meserp run</c> drains: after 50 s (its reserve
    /// and grace for a 60 s offer) it gives up once the ledger has not grown for 15 s, and it stops at
    /// <paramref name="maxDrain"/> even while postings still arrive (then the missing postings are not judged lost).
    /// </summary>
    /// <returns>How long it took, and whether <paramref name="maxDrain"/> cut it off while postings still arrived.</returns>
    private static async Task<(TimeSpan Elapsed, bool CutOff)> DrainAsync(HttpClient erp, long expected, TimeSpan maxDrain, TextWriter log, CancellationToken ct)
    {
        var budget = TimeSpan.FromSeconds(50);
        var clock = Stopwatch.StartNew();
        var progress = Stopwatch.StartNew();
        var last = -1L;
        var lastReport = TimeSpan.Zero;
        var cutOff = false;
        while (true)
        {
            var count = await ErpLedger.CountAsync(erp, ct);
            if (count >= expected)
            {
                break;
            }

            if (count != last)
            {
                last = count;
                progress.Restart();
            }

            var stalled = progress.Elapsed >= RunBudget.DrainStall;
            if ((clock.Elapsed >= budget && stalled) || clock.Elapsed >= maxDrain)
            {
                cutOff = !stalled;
                break;
            }

            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                await log.WriteLineAsync($"   draining after {clock.Elapsed.TotalSeconds:0} s: {count} of {expected} postings in the ERP ledger");
            }

            await Task.Delay(500, ct);
        }

        var elapsed = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        return (elapsed, cutOff);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
