using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Harness;
using MesErpStreams.Pipeline;

namespace MesErpStreams.Chaos;

/// <summary>One chaos run: platform up, feed with the fault schedule, drain, verdict, figures.</summary>
internal static class ChaosRun
{
    public static async Task<(Verdict Verdict, JsonObject Figures)> RunAsync(ChaosOptions options, TextWriter log, CancellationToken ct)
    {
        var work = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), $"meserp-chaos-{options.Seed}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        Directory.CreateDirectory(work);
        var steps = FaultSchedule.Build(options);
        await log.WriteLineAsync($"chaos run: profile {options.Profile}, seed {options.Seed} (repeat with --seed {options.Seed}), {options.Plants} plant(s), " +
                                 $"{options.Events} event lines at {options.Rate}/s; working directory {work}");
        await log.WriteLineAsync("fault schedule:");
        await log.WriteAsync(FaultSchedule.Print(steps));

        var records = new MesSimulator(new MesSimulatorOptions
        {
            Seed = options.Seed, Plants = options.Plants, ActiveOrdersPerPlant = 4, MaxEvents = options.Events, StartTime = DateTimeOffset.UtcNow.AddHours(-1),
        }).Generate(CancellationToken.None).ToList();
        var expected = MesSimulator.ComputeExpected(records);
        var clock = Stopwatch.StartNew();
        await using var platform = await ChaosPlatform.StartAsync(options, work, log, ct);
        var rejected = 0L;
        foreach (var e in platform.Edges)
        {
            e.Watch(line =>
            {
                if (line.Contains(": rejected: ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref rejected);
                }
            });
        }

        var feeder = new Feeder(platform, options, records);
        using var faults = new FaultRunner(platform, feeder, records, options.Seed, log);
        var feedStart = DateTimeOffset.UtcNow;
        var faultTask = faults.RunAsync(steps, feedStart, ct);
        await feeder.RunAsync(ct);
        var feedEnd = DateTimeOffset.UtcNow;
        await log.WriteLineAsync($"feed done after {(feedEnd - feedStart).TotalSeconds:0} s: {feeder.EventLinesWritten} event lines, {feeder.MasterRecordsPublished} master records");
        await faultTask;
        var edgeCodes = await feeder.CloseEdgesAsync(options.DrainTimeout);
        await log.WriteLineAsync($"edges drained and exited with {string.Join(", ", edgeCodes)}");

        // Drain: wait until every expected document is there and the ledger has stopped growing.
        var drainStart = Stopwatch.StartNew();
        IReadOnlyList<LedgerRow> ledger = [];
        var stableSince = Stopwatch.StartNew();
        var lastCount = -1;
        while (drainStart.Elapsed < options.DrainTimeout)
        {
            ledger = await Verdict.ReadLedgerAsync(platform, ct);
            if (ledger.Count != lastCount)
            {
                lastCount = ledger.Count;
                stableSince.Restart();
            }

            var keys = ledger.Select(r => r.IdempotencyKey).ToHashSet(StringComparer.Ordinal);
            if (expected.IdempotencyKeys.All(keys.Contains) && stableSince.Elapsed > TimeSpan.FromSeconds(10))
            {
                break;
            }

            await Task.Delay(2_000, ct);
        }

        await log.WriteLineAsync($"drain: {ledger.Count} documents after {drainStart.Elapsed.TotalSeconds:0} s");

        // After the drain, so the probe's requests meet no injected ERP fault (an outage answers 503 to everything).
        var security = await SecurityProbe.RunAsync(platform, ct);
        var eventDlq = Verdict.ReadDeadLetters(platform.Cluster.BootstrapServers, PipelineTopology.Topics.EventsDeadLetter);
        var sinkDlq = Verdict.ReadDeadLetters(platform.Cluster.BootstrapServers, "erp.posting-commands.dlq");
        var harnessErrors = faults.Done.Where(f => f.Detail.StartsWith("HARNESS ERROR", StringComparison.Ordinal)).Select(f => $"{f.Step.Kind}: {f.Detail}").ToList();
        harnessErrors.AddRange(eventDlq.Where(d => d.Reason == Verdict.NoReason).Select(d => $"a dead letter from {d.SourceTopic}[{d.SourcePartition}]@{d.SourceOffset} has no reason header"));
        harnessErrors.AddRange(platform.Processors.Concat(platform.Sinks).Concat([platform.Erp]).Where(p => !p.Running).Select(p => $"{p.Name} is not running at the end (exit {p.ExitCode}); see {p.LogPath}"));
        foreach (var p in platform.Processors.Concat(platform.Sinks).Concat([platform.Erp]))
        {
            await p.TerminateAsync(TimeSpan.FromSeconds(30));
        }

        var verdict = Verdict.Judge(expected, ledger, eventDlq, sinkDlq.Count, faults.BadRecordsWritten, Interlocked.Read(ref rejected), feeder.BadLinesDistinct,
            SecurityProbe.FindLeakedSecrets(platform), harnessErrors, security);
        string[] commandTopics = ["erp.posting-commands", "erp.posting-commands.retry-1", "erp.posting-commands.retry-2", "erp.posting-commands.retry-3"];
        verdict.Whereabouts = Whereabouts.Locate(verdict.Missing, platform.Cluster.BootstrapServers, platform.RegistryUrl, ChaosPlatform.ProcessorGroup,
            commandTopics.Skip(1), "erp.posting-commands.dlq", eventDlq, feeder.MasterDeliveries);
        var figures = Figures.Build(options, steps, faults.Done, records, expected, feeder, verdict, ledger, feedStart, feedEnd, clock.Elapsed);
        var json = options.JsonPath ?? Path.Combine(work, "chaos-figures.json");
        await File.WriteAllTextAsync(json, figures.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
        await log.WriteAsync(Figures.Table(figures));
        await log.WriteLineAsync($"figures as JSON: {json}");
        foreach (var v in verdict.Violations())
        {
            await log.WriteLineAsync(v);
        }

        if (verdict.OrderSuspects.Count > 0)
        {
            foreach (var line in Verdict.TraceEvents(platform.Cluster.BootstrapServers, verdict.OrderSuspects.Take(40).ToList(), commandTopics))
            {
                await log.WriteLineAsync(line);
            }
        }

        await log.WriteLineAsync(verdict.Ok ? "VERDICT: PASSED (nothing lost, nothing doubled, order kept, every bad input dead-lettered or rejected)" : "VERDICT: FAILED");
        if (verdict.Ok && !options.Keep)
        {
            await platform.DisposeAsync();
            Directory.Delete(work, recursive: true);
        }

        return (verdict, figures);
    }
}

/// <summary>The figures of a run: faults, counts, recovery and latency, as JSON and as a table.</summary>
internal static class Figures
{
    public static JsonObject Build(ChaosOptions options, IReadOnlyList<FaultStep> steps, IReadOnlyList<FaultRecord> done, IReadOnlyList<SimulatedRecord> records,
        ExpectedPostings expected, Feeder feeder, Verdict verdict, IReadOnlyList<LedgerRow> ledger, DateTimeOffset feedStart, DateTimeOffset feedEnd, TimeSpan total)
    {
        var written = feeder.FirstWritten;
        var posted = ledger.GroupBy(r => r.IdempotencyKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(r => r.PostedAt), StringComparer.Ordinal);
        var during = new List<double>();
        var outside = new List<double>();
        foreach (var c in expected.Commands)
        {
            if (!posted.TryGetValue(c.IdempotencyKey, out var at) || !written.TryGetValue(c.EventId, out var w))
            {
                continue;
            }

            var ms = (at - w).TotalMilliseconds;
            (done.Any(f => f.Started <= at && f.Ended.AddSeconds(10) >= w) ? during : outside).Add(ms);
        }

        var postedTimes = ledger.Select(r => r.PostedAt).Order().ToArray();
        var faults = new JsonArray();
        foreach (var f in done)
        {
            var idx = Array.BinarySearch(postedTimes, f.Ended);
            idx = idx < 0 ? ~idx : idx;
            double? recover = idx < postedTimes.Length ? Math.Round((postedTimes[idx] - f.Ended).TotalSeconds, 1) : null;
            faults.Add(new JsonObject
            {
                ["at_s"] = Math.Round((f.Started - feedStart).TotalSeconds, 1), ["class"] = f.Step.Class, ["kind"] = f.Step.Kind.ToString(), ["target"] = f.Step.Target,
                ["duration_s"] = Math.Round((f.Ended - f.Started).TotalSeconds, 1), ["detail"] = f.Detail,
                ["first_posting_after_end_s"] = recover, ["member_resumed_after_restart_s"] = f.ResumeSeconds,
            });
        }

        var kinds = new JsonObject();
        foreach (var g in done.GroupBy(f => f.Step.Kind.ToString()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            kinds[g.Key] = g.Count();
        }

        var reasons = new JsonObject();
        foreach (var (k, v) in verdict.DeadLettersByReason)
        {
            reasons[k] = v;
        }

        return new JsonObject
        {
            ["profile"] = options.Profile, ["seed"] = options.Seed, ["plants"] = options.Plants, ["rate_per_s"] = options.Rate,
            ["run_seconds"] = Math.Round(total.TotalSeconds), ["feed_seconds"] = Math.Round((feedEnd - feedStart).TotalSeconds),
            ["faults_by_kind"] = kinds, ["faults_applied"] = done.Count, ["faults"] = faults,
            ["event_lines_sent"] = feeder.EventLinesWritten,
            ["duplicates_sent"] = records.Count(r => r.Kind == SimulatedRecordKind.Duplicate),
            ["invalid_events_sent"] = records.Count(r => r.Kind == SimulatedRecordKind.Invalid),
            ["lines_resent_after_edge_kill"] = feeder.LinesResent,
            ["bad_lines_at_edge"] = feeder.BadLinesDistinct, ["edge_rejected_lines"] = verdict.EdgeRejectedLines,
            ["bad_records_on_topics"] = done.Count(f => f.Step.Kind == FaultKind.BadRecordsOnTopics) * 5,
            ["documents_expected"] = verdict.Expected, ["documents_posted"] = verdict.Posted,
            ["missing"] = verdict.Missing.Count, ["missing_by_stage"] = MissingByStage(verdict), ["doubled"] = verdict.Doubled.Count, ["out_of_order"] = verdict.OutOfOrder.Count,
            ["cross_type_reorders"] = verdict.CrossTypeReorders,
            ["dead_letters_expected"] = verdict.ExpectedDeadLetters, ["dead_letters_missing"] = verdict.DeadLettersMissing.Count + verdict.BadRecordsMissing.Count,
            ["dead_letters_by_reason"] = reasons, ["sink_dead_letters"] = verdict.SinkDeadLetters,
            ["security_failures"] = verdict.SecurityFailures.Count, ["leaked_secrets"] = verdict.LeakedSecrets.Count,
            ["e2e_latency_ms_outside_faults"] = Percentiles(outside), ["e2e_latency_ms_during_faults"] = Percentiles(during),
            ["passed"] = verdict.Ok,
        };
    }

    public static string Table(JsonObject f)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("---- chaos figures ----");
        foreach (var (k, v) in f)
        {
            if (k is "faults")
            {
                continue;
            }

            sb.AppendLine(CultureInfo.InvariantCulture, $"{k,-32} {v?.ToJsonString()}");
        }

        sb.AppendLine("faults (at, kind, target, duration, first posting after its end, member resumed after restart):");
        foreach (var x in (JsonArray)f["faults"]!)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"  t+{x!["at_s"],6} {x["kind"],-32} {x["target"],2} {x["duration_s"],6}s  recover {x["first_posting_after_end_s"]?.ToJsonString() ?? "-",6}s  resume {x["member_resumed_after_restart_s"]?.ToJsonString() ?? "-",6}s  {x["detail"]}");
        }

        return sb.ToString();
    }

    private static JsonObject MissingByStage(Verdict verdict)
    {
        var stages = new JsonObject();
        foreach (var g in verdict.Whereabouts.GroupBy(w => w.Stage).OrderBy(g => g.Key))
        {
            stages[g.Key.ToString()] = g.Count();
        }

        return stages;
    }

    private static JsonObject Percentiles(List<double> values)
    {
        values.Sort();
        double P(double q) => values.Count == 0 ? 0 : Math.Round(values[Math.Min(values.Count - 1, (int)(q * values.Count))]);
        return new JsonObject { ["count"] = values.Count, ["p50"] = P(0.5), ["p95"] = P(0.95), ["p99"] = P(0.99), ["max"] = values.Count == 0 ? 0 : Math.Round(values[^1]) };
    }
}
