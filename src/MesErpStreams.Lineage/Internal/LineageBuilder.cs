using System.Globalization;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Pipeline;
using MesErpStreams.Sink;

namespace MesErpStreams.Lineage.Internal;

/// <summary>Turns the records of one event into hops with outcomes, in time order, with the latency of each hop.</summary>
internal static class LineageBuilder
{
    private const string ReplayOf = "meserp.replay.of";
    private const string EdgeId = "meserp.edge.id";

    public static async Task<List<LineageHop>> BuildAsync(IReadOnlyList<MatchedRecord> records, LineageDecoder decoder)
    {
        var hops = new List<LineageHop>(records.Count);
        var commands = records.Where(r => r.Topic.Stage == Stage.Command).ToList();
        var processed = commands.Select(c => EventOrigin(c)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var rejected = records.Where(r => r.Topic.Stage == Stage.EventDeadLetter)
            .Select(r => LineageHeaders.Position(r.Headers, PipelineHeaders.SourceTopic, PipelineHeaders.SourcePartition, PipelineHeaders.SourceOffset))
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        // Commands written before the processor named their event record: attribute them to the first copy.
        var unattributed = commands.Count > 0 && processed.Count == 0;
        string? firstProcessed = null;
        foreach (var r in records.Where(r => r.Topic.Stage == Stage.Event).OrderBy(r => r.Timestamp).ThenBy(r => r.Offset))
        {
            var outcome = processed.Contains(r.Position) || (unattributed && firstProcessed is null) ? "processed"
                : rejected.Contains(r.Position) ? "rejected by the processor (see dead-lettered)"
                : firstProcessed is not null ? $"deduplicated (same event id as {firstProcessed})"
                : "no downstream record in range (waiting for master data, not processed yet, or after --to)";
            if (outcome == "processed")
            {
                firstProcessed ??= r.Position;
            }

            hops.Add(await EventHopAsync(r, outcome, decoder));
        }

        foreach (var r in records.Where(r => r.Topic.Stage != Stage.Event))
        {
            hops.Add(r.Topic.Stage switch
            {
                Stage.EventDeadLetter => await EventDeadLetterHopAsync(r, decoder),
                Stage.Command => await CommandHopAsync(r, decoder),
                Stage.Retry => RetryHop(r),
                Stage.CommandDeadLetter => CommandDeadLetterHop(r),
                _ => await ResultHopAsync(r, decoder),
            });
        }

        hops.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time)
            : a.Record.Topic.Stage != b.Record.Topic.Stage ? a.Record.Topic.Stage.CompareTo(b.Record.Topic.Stage)
            : a.Record.Offset.CompareTo(b.Record.Offset));
        for (var i = 1; i < hops.Count; i++)
        {
            hops[i] = hops[i] with { Latency = hops[i].Time - hops[i - 1].Time };
        }

        return hops;
    }

    /// <summary>
    /// Adds the hop of an event the processor holds back (from its pending store's changelog) and says so on the
    /// published copy it was consumed from.
    /// </summary>
    public static List<LineageHop> WithWaiting(List<LineageHop> hops, WaitingEvent w, string changelogTopic)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["waiting_for"] = w.WaitingFor ?? "?", ["ordering_key"] = w.OrderingKey, ["task"] = w.Task,
            ["source"] = $"{w.SourceTopic}[{w.SourcePartition}]@{w.SourceOffset}",
        };
        if (w.BehindEarlierEvent)
        {
            d["behind_earlier_event"] = "true";
        }

        var outcome = w.BehindEarlierEvent
            ? $"held behind an earlier event of {w.OrderingKey} that waits for master data {w.WaitingFor} (task {w.Task})"
            : $"waiting for master data {w.WaitingFor} (task {w.Task})";
        var record = new MatchedRecord(new LineageTopic(changelogTopic, Stage.Waiting), w.ChangelogPartition, w.ChangelogOffset, w.Since, w.OrderingKey, [], null);
        var result = hops.Select(h => h.Name == "published" && h.Record.Position == d["source"] ? h with { Outcome = "waiting (see the next hop)" } : h).ToList();
        result.Add(new LineageHop("waiting", record, w.Since, outcome, null, d));
        result.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Record.Topic.Stage.CompareTo(b.Record.Topic.Stage));
        for (var i = 0; i < result.Count; i++)
        {
            result[i] = result[i] with { Latency = i == 0 ? null : result[i].Time - result[i - 1].Time };
        }

        return result;
    }

    private static string? EventOrigin(MatchedRecord command) =>
        LineageHeaders.Position(command.Headers, PipelineHeaders.EventTopic, PipelineHeaders.EventPartition, PipelineHeaders.EventOffset);

    private static async Task<LineageHop> EventHopAsync(MatchedRecord r, string outcome, LineageDecoder decoder)
    {
        var d = Details(r);
        var (facts, error) = await TryAsync(() => decoder.EventAsync(r.Topic.Name, r.Headers, r.Value));
        Put(d, "event_type", facts?.Type ?? LineageHeaders.Text(r.Headers, PipelineHeaders.EventType));
        Put(d, "plant", facts?.Plant);
        Put(d, "occurred_at", facts?.OccurredAt.ToString("O", CultureInfo.InvariantCulture));
        Put(d, "edge_id", LineageHeaders.Text(r.Headers, EdgeId));
        Put(d, "replay_of", LineageHeaders.Text(r.Headers, ReplayOf));
        Put(d, "decode_error", error);
        if (d.TryGetValue("replay_of", out var of))
        {
            outcome = $"replayed from {of}; {outcome}";
        }

        return new LineageHop("published", r, r.Timestamp, outcome, Trace(r) ?? facts?.Trace?.Traceparent, d);
    }

    private static async Task<LineageHop> EventDeadLetterHopAsync(MatchedRecord r, LineageDecoder decoder)
    {
        var d = Details(r);
        var reason = LineageHeaders.Text(r.Headers, PipelineHeaders.Reason) ?? "unknown";
        var detail = LineageHeaders.Text(r.Headers, PipelineHeaders.ReasonDetail);
        Put(d, "reason", reason);
        Put(d, "reason_detail", detail);
        Put(d, "source", LineageHeaders.Position(r.Headers, PipelineHeaders.SourceTopic, PipelineHeaders.SourcePartition, PipelineHeaders.SourceOffset));
        var trace = Trace(r);
        if (trace is null)
        {
            trace = (await TryAsync(() => decoder.EventAsync(r.Topic.Name, r.Headers, r.Value))).Value?.Trace?.Traceparent;
        }

        var time = LineageHeaders.UnixMs(r.Headers, PipelineHeaders.DeadLetteredAt) ?? r.Timestamp;
        return new LineageHop("dead-lettered", r, time, $"by the processor: {reason}{(detail is null ? string.Empty : ": " + detail)}", trace, d);
    }

    private static async Task<LineageHop> CommandHopAsync(MatchedRecord r, LineageDecoder decoder)
    {
        var d = Details(r);
        var (c, error) = await TryAsync(() => decoder.CommandAsync(r.Topic.Name, r.Headers, r.Value));
        var key = c?.IdempotencyKey ?? LineageHeaders.Text(r.Headers, PipelineHeaders.IdempotencyKey) ?? "?";
        Put(d, "idempotency_key", key);
        Put(d, "command_type", c?.CommandType.ToString());
        Put(d, "order_key", c?.OrderKey);
        Put(d, "source_event_ids", c is null ? null : string.Join(',', c.SourceEventIds));
        Put(d, "from_event_record", EventOrigin(r));
        Put(d, "decode_error", error);
        return new LineageHop("command emitted", r, c?.CreatedAt ?? r.Timestamp, $"{c?.CommandType.ToString() ?? "command"} {key}",
            Trace(r) ?? c?.Trace?.Traceparent, d);
    }

    private static LineageHop RetryHop(MatchedRecord r)
    {
        var d = FailureDetails(r);
        var tier = r.Topic.Tier.ToString(CultureInfo.InvariantCulture);
        Put(d, "tier", tier);
        Put(d, "due_at", LineageHeaders.UnixMs(r.Headers, SinkHeaders.DueAt)?.ToString("O", CultureInfo.InvariantCulture));
        var held = LineageHeaders.Text(r.Headers, SinkHeaders.HeldBehind) == "true";
        Put(d, "held_behind", held ? "true" : null);
        var outcome = held
            ? $"tier {tier}: held behind an earlier failed command of key {r.Key}"
            : $"tier {tier} after attempt {Get(d, "attempts")}: {Failure(d)}";
        return new LineageHop("retried", r, r.Timestamp, outcome, Trace(r), d);
    }

    private static LineageHop CommandDeadLetterHop(MatchedRecord r)
    {
        var d = FailureDetails(r);
        return new LineageHop("dead-lettered", r, r.Timestamp, $"by the sink after {Get(d, "attempts")} attempt(s): {Failure(d)}", Trace(r), d);
    }

    private static async Task<LineageHop> ResultHopAsync(MatchedRecord r, LineageDecoder decoder)
    {
        var d = Details(r);
        var (result, error) = await TryAsync(() => decoder.ResultAsync(r.Topic.Name, r.Headers, r.Value));
        Put(d, "decode_error", error);
        if (result is null)
        {
            return new LineageHop("result", r, r.Timestamp, "posting result (value not readable)", Trace(r), d);
        }

        Put(d, "status", result.Status.ToString());
        Put(d, "erp_document_number", result.ErpDocumentNumber);
        Put(d, "attempts", result.Attempts.ToString(CultureInfo.InvariantCulture));
        Put(d, "idempotency_key", result.IdempotencyKey);
        Put(d, "reason_code", result.ReasonCode);
        Put(d, "reason", result.Reason);
        Put(d, "first_attempt_at", result.FirstAttemptAt?.ToString("O", CultureInfo.InvariantCulture));
        var (name, outcome) = result.Status switch
        {
            PostingStatus.Posted => ("posted", $"ERP document {result.ErpDocumentNumber} ({result.Attempts} attempt(s))"),
            PostingStatus.Duplicate => ("duplicate at ERP", $"already posted as ERP document {result.ErpDocumentNumber}"),
            PostingStatus.Rejected => ("rejected", $"by the ERP: {result.ReasonCode} {result.Reason}"),
            _ => ("failed", $"dead-lettered after {result.Attempts} attempt(s): {result.ReasonCode} {result.Reason}"),
        };
        return new LineageHop(name, r, result.CompletedAt, outcome, Trace(r) ?? result.Trace?.Traceparent, d);
    }

    private static SortedDictionary<string, string> FailureDetails(MatchedRecord r)
    {
        var d = Details(r);
        Put(d, "failure_class", LineageHeaders.Text(r.Headers, SinkHeaders.FailureClass));
        Put(d, "http_status", LineageHeaders.Text(r.Headers, SinkHeaders.HttpStatus));
        Put(d, "message", LineageHeaders.Text(r.Headers, SinkHeaders.Message));
        Put(d, "attempts", LineageHeaders.Text(r.Headers, SinkHeaders.Attempts));
        Put(d, "idempotency_key", LineageHeaders.Text(r.Headers, SinkHeaders.IdempotencyKey));
        Put(d, "original", LineageHeaders.Position(r.Headers, SinkHeaders.OriginalTopic, SinkHeaders.OriginalPartition, SinkHeaders.OriginalOffset));
        return d;
    }

    private static string Failure(SortedDictionary<string, string> d) =>
        string.Join(' ', new[] { Get(d, "failure_class"), Get(d, "http_status"), Get(d, "message") }.Where(s => s != "?"));

    private static SortedDictionary<string, string> Details(MatchedRecord r)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Put(d, "key", r.Key);
        return d;
    }

    private static string Get(SortedDictionary<string, string> d, string name) => d.TryGetValue(name, out var v) ? v : "?";

    private static void Put(SortedDictionary<string, string> d, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            d[name] = value;
        }
    }

    private static string? Trace(MatchedRecord r) => LineageHeaders.Text(r.Headers, PipelineHeaders.TraceParent);

    // A value that cannot be decoded still leaves the hop (from its headers); the error is shown in its details.
    private static async Task<(T? Value, string? Error)> TryAsync<T>(Func<Task<T?>> decode)
        where T : class
    {
        try
        {
            return (await decode(), null);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return (null, e.Message);
        }
    }
}
