using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Harness;
using MesErpStreams.Kafka.Embedded;

namespace MesErpStreams.Chaos;

/// <summary>What happened when a step ran.</summary>
internal sealed record FaultRecord(FaultStep Step, DateTimeOffset Started, DateTimeOffset Ended, string Detail, double? ResumeSeconds);

/// <summary>Applies the schedule during the feed, each step on its own timer, so faults overlap where the schedule says.</summary>
internal sealed class FaultRunner(ChaosPlatform platform, Feeder feeder, IReadOnlyList<SimulatedRecord> records, int seed, TextWriter log) : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private readonly List<FaultRecord> _done = [];
    private readonly List<BadRecord> _badRecords = [];
    private readonly SemaphoreSlim _erpAdmin = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed ^ 0x0bad);

    public IReadOnlyList<FaultRecord> Done
    {
        get
        {
            lock (_lock)
            {
                return [.. _done.OrderBy(d => d.Started)];
            }
        }
    }

    public IReadOnlyList<BadRecord> BadRecordsWritten
    {
        get
        {
            lock (_lock)
            {
                return [.. _badRecords];
            }
        }
    }

    public void Dispose() => _erpAdmin.Dispose();

    public Task RunAsync(IReadOnlyList<FaultStep> steps, DateTimeOffset feedStart, CancellationToken ct) =>
        Task.WhenAll(steps.Select(s => RunStepAsync(s, feedStart, ct)));

    private async Task RunStepAsync(FaultStep step, DateTimeOffset feedStart, CancellationToken ct)
    {
        var wait = feedStart + step.At - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }

        var started = DateTimeOffset.UtcNow;
        await log.WriteLineAsync($"fault  {step}");
        string detail;
        double? resume = null;
        try
        {
            (detail, resume) = await ApplyAsync(step, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault the harness could not apply is a harness failure: say so in the figures and fail the run.
            detail = "HARNESS ERROR: " + e.Message;
            await log.WriteLineAsync($"fault  {step.Kind} could not be applied: {e}");
        }

        var record = new FaultRecord(step, started, DateTimeOffset.UtcNow, detail, resume);
        lock (_lock)
        {
            _done.Add(record);
        }

        await log.WriteLineAsync($"fault  {step.Kind} done after {(record.Ended - started).TotalSeconds:0.0} s: {detail}");
    }

    private async Task<(string Detail, double? Resume)> ApplyAsync(FaultStep step, CancellationToken ct)
    {
        var cluster = platform.Cluster;
        switch (step.Kind)
        {
            case FaultKind.KafkaBrokerDown:
                cluster.SetBrokerDown(step.Target);
                await Task.Delay(step.Duration, ct);
                cluster.SetBrokerUp(step.Target);
                return ($"broker {step.Target}{(step.Target == FaultSchedule.CoordinatorBroker ? " (group coordinator)" : string.Empty)} down {step.Duration.TotalSeconds:0} s", null);

            case FaultKind.KafkaLeadersMoved:
                return (MoveLeaders(), null);

            case FaultKind.KafkaProduceErrors:
                cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition, ErrorCode.NotEnoughReplicas, ErrorCode.NotLeaderForPartition,
                    ErrorCode.NotEnoughReplicas, ErrorCode.RequestTimedOut);
                return ("5 Produce requests failed (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT)", null);

            case FaultKind.KafkaCommitErrors:
                cluster.PushRequestErrors(KafkaApiKey.TxnOffsetCommit, ErrorCode.GroupLoadInProgress, ErrorCode.NotCoordinatorForGroup);
                cluster.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.GroupLoadInProgress, ErrorCode.NotCoordinatorForGroup);
                cluster.PushRequestErrors(KafkaApiKey.EndTxn, ErrorCode.GroupLoadInProgress);
                return ("TxnOffsetCommit ×2, OffsetCommit ×2, EndTxn ×1 failed (COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR)", null);

            case FaultKind.ProcessorRestartStorm:
            {
                var p = platform.Processors[step.Target];
                var stop1 = await p.TerminateAsync(Grace);
                p.Start();
                await Task.Delay(step.Duration, ct);
                var (stop2, resume) = await BounceAsync(p, kill: false, TimeSpan.Zero, ct);
                return ($"{p.Name}: SIGTERM (exit in {stop1.TotalSeconds:0.0} s), restart, SIGTERM {step.Duration.TotalSeconds:0} s later (exit in {stop2.TotalSeconds:0.0} s), restart", await resume);
            }

            case FaultKind.ProcessorKillMidTransaction:
                return ($"{platform.Processors[step.Target].Name}: SIGKILL under load (a transaction open), restart after {step.Duration.TotalSeconds:0} s",
                    await (await BounceAsync(platform.Processors[step.Target], kill: true, step.Duration, ct)).Resume);

            case FaultKind.ProcessorKillBetweenTransactions:
            {
                // A quiet line: no input for a moment, so the last transaction has committed and none is open.
                feeder.Pause();
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                var (_, resume) = await BounceAsync(platform.Processors[step.Target], kill: true, step.Duration, ct);
                feeder.Resume();
                return ($"{platform.Processors[step.Target].Name}: SIGKILL with no input for 2 s (no open transaction), restart after {step.Duration.TotalSeconds:0} s",
                    await resume);
            }

            case FaultKind.ProcessorTerminate:
            case FaultKind.SinkTerminate:
            {
                var p = step.Kind == FaultKind.ProcessorTerminate ? platform.Processors[step.Target] : platform.Sinks[step.Target];
                var (stop, resume) = await BounceAsync(p, kill: false, step.Duration, ct);
                return ($"{p.Name}: SIGTERM (exit in {stop.TotalSeconds:0.0} s), restart after {step.Duration.TotalSeconds:0} s", await resume);
            }

            case FaultKind.SinkKill:
                return ($"{platform.Sinks[step.Target].Name}: SIGKILL under load (ERP calls in flight, offsets not yet committed), restart after {step.Duration.TotalSeconds:0} s",
                    await (await BounceAsync(platform.Sinks[step.Target], kill: true, step.Duration, ct)).Resume);

            case FaultKind.EdgeKillWhileKafkaDown:
            {
                foreach (var b in Enumerable.Range(1, FaultSchedule.Brokers))
                {
                    cluster.SetBrokerDown(b);
                }

                var e = platform.Edges[step.Target];
                await Task.Delay(TimeSpan.FromSeconds(3), ct);
                await feeder.EdgeDownAsync(step.Target, ct);
                await e.KillAsync();
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                e.Start();
                await feeder.EdgeUpAsync(step.Target, ct);
                await Task.Delay(step.Duration - TimeSpan.FromSeconds(5), ct);
                foreach (var b in Enumerable.Range(1, FaultSchedule.Brokers))
                {
                    cluster.SetBrokerUp(b);
                }

                return ($"all brokers down {step.Duration.TotalSeconds:0} s; {e.Name} SIGKILL 3 s in, restarted 2 s later on the same outbox", null);
            }

            case FaultKind.ErpOutage:
                await SetErpFaultsAsync(f => f["outage"] = true, ct);
                await Task.Delay(step.Duration, ct);
                await SetErpFaultsAsync(f => f["outage"] = false, ct);
                return ($"every posting answered 503 for {step.Duration.TotalSeconds:0} s", null);

            case FaultKind.ErpLongOutageAtLowRate:
            {
                var before = feeder.EventLinesWritten;
                feeder.Trickle(FaultSchedule.LowRateInterval);
                await SetErpFaultsAsync(f => f["outage"] = true, ct);
                await Task.Delay(step.Duration, ct);
                await SetErpFaultsAsync(f => f["outage"] = false, ct);
                feeder.Trickle(null);
                return ($"every posting answered 503 for {step.Duration.TotalSeconds:0} s (the sink's tiers: {ChaosPlatform.SinkRetryDelays}) while the plants sent one event line every {FaultSchedule.LowRateInterval.TotalSeconds:0} s ({feeder.EventLinesWritten - before} lines)", null);
            }

            case FaultKind.ErpErrorBurst:
                await SetErpFaultsAsync(f => { f["errorRate"] = 0.5; f["errorStatusCode"] = 500; }, ct);
                await Task.Delay(step.Duration, ct);
                await SetErpFaultsAsync(f => f["errorRate"] = 0.0, ct);
                return ($"half the postings answered 500 for {step.Duration.TotalSeconds:0} s", null);

            case FaultKind.ErpThrottleStorm:
                await SetErpFaultsAsync(f => { f["throttleRate"] = 0.7; f["retryAfterSeconds"] = 2; }, ct);
                await Task.Delay(step.Duration, ct);
                await SetErpFaultsAsync(f => f["throttleRate"] = 0.0, ct);
                return ($"70 % of the postings answered 429 with Retry-After: 2 for {step.Duration.TotalSeconds:0} s", null);

            case FaultKind.ErpSlowAnswers:
                await SetErpFaultsAsync(f => { f["slowNext"] = 30; f["slowResponseDelayMs"] = 6_000; }, ct);
                return ("the next 30 postings answered after 6 s (the sink's timeout is 3 s; the ERP has booked them)", null);

            case FaultKind.RegistryDown:
                await platform.StopRegistryAsync();
                await Task.Delay(step.Duration, ct);
                await platform.StartRegistryAsync(ct);
                return ($"schema registry stopped for {step.Duration.TotalSeconds:0} s, restarted on the same port", null);

            case FaultKind.BadRecordsOnTopics:
            {
                var written = await BadRecords.InjectAsync(platform, records, _random, ct);
                lock (_lock)
                {
                    _badRecords.AddRange(written);
                }

                return ($"{written.Count} undecodable records on {written[0].Topic}: {string.Join(", ", written.Select(w => $"{w.Kind}@{w.Partition}:{w.Offset}"))}", null);
            }

            case FaultKind.BadLinesAtEdge:
                await feeder.InjectBadLinesAsync(step.Target, _random, ct);
                return ($"6 bad lines (malformed JSON, invalid UTF-8, unknown type, not an object) into edge-{step.Target}", null);

            default:
                throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "unknown fault kind");
        }
    }

    /// <summary>
    /// Stops <paramref name="p"/> (SIGKILL or SIGTERM), waits <paramref name="down"/>, starts it again and returns how long
    /// the stop took and a task for the seconds until the new instance logged a non-empty assignment (null when not within
    /// 120 s).
    /// </summary>
    private static async Task<(TimeSpan Stop, Task<double?> Resume)> BounceAsync(ChildProcess p, bool kill, TimeSpan down, CancellationToken ct)
    {
        var stop = Stopwatch.StartNew();
        if (kill)
        {
            await p.KillAsync();
        }
        else
        {
            await p.TerminateAsync(Grace);
        }

        var stopped = stop.Elapsed;
        await Task.Delay(down, ct);
        var assigned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var starts = p.Starts;
        p.Watch(line =>
        {
            // The processor logs "processor state REBALANCING -> RUNNING" (Streamiz's own lines are at warning by default),
            // the sink "assigned <n> partitions"; an empty assignment does not count.
            if (p.Starts > starts && (line.Contains("processor state REBALANCING -> RUNNING", StringComparison.Ordinal)
                || (line.Contains(" assigned ", StringComparison.Ordinal) && !line.TrimEnd().EndsWith(" assigned", StringComparison.Ordinal)
                    && !line.Contains("assigned 0 ", StringComparison.Ordinal))))
            {
                assigned.TrySetResult();
            }
        });
        var clock = Stopwatch.StartNew();
        p.Start();
        return (stopped, WaitAssignedAsync(assigned, clock, ct));
    }

    private static async Task<double?> WaitAssignedAsync(TaskCompletionSource assigned, Stopwatch clock, CancellationToken ct)
    {
        var done = await Task.WhenAny(assigned.Task, Task.Delay(TimeSpan.FromSeconds(120), ct));
        return done == assigned.Task ? Math.Round(clock.Elapsed.TotalSeconds, 1) : null;
    }

    private string MoveLeaders()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = platform.Cluster.BootstrapServers }).Build();
        var meta = admin.GetMetadata(TimeSpan.FromSeconds(10));
        var moved = 0;
        foreach (var t in meta.Topics.Where(t => t.Topic.StartsWith("mes.events.", StringComparison.Ordinal) || t.Topic.StartsWith("erp.posting-commands", StringComparison.Ordinal)))
        {
            foreach (var p in t.Partitions)
            {
                platform.Cluster.SetPartitionLeader(t.Topic, p.PartitionId, 1 + _random.Next(FaultSchedule.Brokers));
                moved++;
            }
        }

        return $"{moved} partition leaders of the event and command topics moved to random brokers";
    }

    private async Task SetErpFaultsAsync(Action<JsonObject> change, CancellationToken ct)
    {
        await _erpAdmin.WaitAsync(ct);
        try
        {
            using var http = new HttpClient { BaseAddress = platform.ErpUrl, Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.AdminToken);
            var current = JsonNode.Parse(await http.GetStringAsync(new Uri("admin/faults", UriKind.Relative), ct))!.AsObject();
            change(current);
            using var body = new StringContent(current.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.PutAsync(new Uri("admin/faults", UriKind.Relative), body, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"PUT /admin/faults answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        }
        finally
        {
            _erpAdmin.Release();
        }
    }
}
