using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.Sink.Erp;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Sink.Internal;

/// <summary>
/// Handles one record of the command topic (tier 0) or a retry tier: forward it behind its key, or post it and make
/// the outcome durable (result, retry record or dead letter, each awaited until the broker acknowledged it).
/// Returns normally only when the outcome is durable; then the caller may mark the offset complete.
/// </summary>
internal sealed class PostingProcessor(
    ErpSinkOptions options,
    ErpGate gate,
    ParkedKeys parked,
    IProducer<string, byte[]> producer,
    IAsyncDeserializer<ErpPostingCommand> deserializer,
    IAsyncSerializer<PostingResult> serializer,
    SinkMetrics metrics,
    TimeProvider time,
    ILogger log)
{
    /// <summary>Test hook run after the ERP answered and before the outcome is produced (simulates a crash there).</summary>
    internal Func<ErpPostingCommand, ErpPostingOutcome, Task>? AfterErpCall { get; set; }

    /// <summary>
    /// Handles a group of records of one key, in order. Runs of consecutive records of one tier go to the ERP as one
    /// chain (one call with batching): the successful prefix is acknowledged together, the first failure is handled
    /// on its own (retry tier or dead letter), and the records after it, which the ERP did not execute, start over:
    /// routed behind it when it went to a retry tier, posted again otherwise. Each record is marked done as soon as its
    /// outcome is durable.
    /// </summary>
    public async Task ProcessAsync(IReadOnlyList<SinkWork> group)
    {
        var chain = new List<SinkWork>(Math.Min(group.Count, gate.MaxChainLength));
        var commands = new List<ErpPostingCommand>(chain.Capacity);
        var i = 0;
        while (i < group.Count)
        {
            var w = group[i];
            w.Stop.ThrowIfCancellationRequested();
            var key = w.Record.Message.Key ?? string.Empty;
            if (parked.RouteTier(key, w.Tier) is { } to)
            {
                await ForwardAsync(w.Record, key, w.Tier, to);
                w.Done();
                i++;
                continue;
            }

            chain.Clear();
            commands.Clear();
            for (var j = i; j < group.Count && chain.Count < gate.MaxChainLength && group[j].Tier == w.Tier; j++)
            {
                ErpPostingCommand command;
                try
                {
                    command = await DeserializeAsync(group[j].Record, w.Stop);
                }
                catch (Exception e) when (e is not OperationCanceledException && !AvroSerdeException.IsTransientFailure(e))
                {
                    if (chain.Count == 0)
                    {
                        var r = w.Record;
                        log.LogWarning("command at {Topic}[{Partition}]@{Offset} cannot be read, dead-lettering it: {Error}", r.Topic, r.Partition.Value, r.Offset.Value, e.Message);
                        await DeadLetterAsync(r, FailureInfo.Read(r), "deserialization", null, e.Message, null);
                        parked.Remove(key, w.Tier);
                        w.Done();
                    }

                    break; // a later unreadable record ends the chain; it is dead-lettered when its turn comes
                }

                chain.Add(group[j]);
                commands.Add(command);
            }

            if (chain.Count == 0)
            {
                i++;
                continue;
            }

            var outcomes = await gate.CallAsync(commands, w.Abort, w.Stop);
            var ok = 0;
            while (ok < outcomes.Count && outcomes[ok].IsSuccess)
            {
                ok++;
            }

            if (AfterErpCall is { } hook)
            {
                for (var k = 0; k < Math.Min(ok + 1, chain.Count); k++)
                {
                    await hook(commands[k], outcomes[k]);
                }
            }

            var now = time.GetUtcNow();
            if (ok > 0)
            {
                await AcknowledgeAsync(chain, commands, outcomes, ok, now);
            }

            if (ok < chain.Count)
            {
                await FailedAsync(chain[ok], commands[ok], outcomes[ok], now);
                parked.Remove(key, chain[ok].Tier);
                chain[ok].Done();
            }

            i += Math.Min(ok + 1, chain.Count);
        }
    }

    /// <summary>Publishes the results of the chain's first <paramref name="count"/> (successful) postings in order and waits until all are durable.</summary>
    private async Task AcknowledgeAsync(List<SinkWork> chain, List<ErpPostingCommand> commands, IReadOnlyList<ErpPostingOutcome> outcomes, int count, DateTimeOffset now)
    {
        var messages = new Message<string, byte[]>[count];
        for (var k = 0; k < count; k++)
        {
            var r = chain[k].Record;
            var failure = FailureInfo.Read(r);
            var status = outcomes[k].Kind == ErpOutcomeKind.Posted ? PostingStatus.Posted : PostingStatus.Duplicate;
            messages[k] = await ResultMessageAsync(r, Result(r, commands[k], status, outcomes[k], failure.Attempts + 1, failure.FirstFailureAt ?? now, now), chain[k].Abort);
        }

        // Produced in order without waiting in between (one partition per key keeps them in order), then awaited together.
        var sends = new Task[count];
        for (var k = 0; k < count; k++)
        {
            sends[k] = producer.ProduceAsync(options.ResultsTopic, messages[k]);
        }

        await Task.WhenAll(sends);
        for (var k = 0; k < count; k++)
        {
            var w = chain[k];
            metrics.Posting(outcomes[k].Kind == ErpOutcomeKind.Posted ? "posted" : "duplicate");
            metrics.Acknowledged(now, Timestamp(w.Record, SinkHeaders.AcceptedAt) ?? (w.Tier == 0 ? w.Record.Message.Timestamp.UtcDateTime : null),
                Timestamp(w.Record, SinkHeaders.OccurredAt), commands[k].CreatedAt);
            parked.Remove(w.Record.Message.Key ?? string.Empty, w.Tier);
            w.Done();
        }
    }

    /// <summary>A failed posting: rejected (dead letter + result), or transient (next retry tier, or dead letter after the last).</summary>
    private async Task FailedAsync(SinkWork w, ErpPostingCommand command, ErpPostingOutcome outcome, DateTimeOffset now)
    {
        var r = w.Record;
        var history = FailureInfo.Read(r);
        var failed = history with { Attempts = history.Attempts + 1, FirstFailureAt = history.FirstFailureAt ?? now };
        if (outcome.Kind == ErpOutcomeKind.PermanentFailure)
        {
            await Task.WhenAll(
                DeadLetterAsync(r, failed, outcome.FailureClass ?? "validation", outcome.HttpStatus, outcome.Message, now),
                ProduceResultAsync(r, Result(r, command, PostingStatus.Rejected, outcome, failed.Attempts, failed.FirstFailureAt!.Value, now), w.Abort));
            metrics.Posting("rejected");
        }
        else if (w.Tier < options.RetryTopics.Count)
        {
            await RetryAsync(r, r.Message.Key ?? string.Empty, w.Tier, failed, outcome, now);
        }
        else
        {
            await Task.WhenAll(
                DeadLetterAsync(r, failed, outcome.FailureClass ?? "transient", outcome.HttpStatus, outcome.Message, now),
                ProduceResultAsync(r, Result(r, command, PostingStatus.DeadLettered, outcome, failed.Attempts, failed.FirstFailureAt!.Value, now), w.Abort));
            metrics.Posting("dead_lettered");
        }
    }

    private static DateTimeOffset? Timestamp(ConsumeResult<string, byte[]> r, string header) =>
        r.Message.Headers is { } h && h.TryGetLastBytes(header, out var b) && System.Buffers.Text.Utf8Parser.TryParse(b, out long ms, out _)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    /// <summary>
    /// Decodes the command; while the schema registry cannot be asked (a restarted sink has an empty schema cache),
    /// waits and asks again instead of dead-lettering a good command (found by the fault suite: 52 commands
    /// dead-lettered during a registry outage). The record's key waits meanwhile; its offset is not committed. When the
    /// worker stops meanwhile, the record stays unfinished: a registry outage never dead-letters a command.
    /// </summary>
    private Task<ErpPostingCommand> DeserializeAsync(ConsumeResult<string, byte[]> r, CancellationToken ct)
    {
        var context = new SerializationContext(MessageComponentType.Value, r.Topic, r.Message.Headers);
        return WhileRegistryUnreachableAsync(() => deserializer.DeserializeAsync(r.Message.Value, r.Message.Value is null, context), r, "cannot be read yet", ct);
    }

    /// <summary>
    /// Runs a serde call that may need the schema registry; while the registry cannot be asked (a sink restarted
    /// during its outage has an empty schema cache), waits and asks again, until <paramref name="ct"/> stops the
    /// worker's assignment: then the record stays unfinished, is read again by whoever owns its partition next, and
    /// is never dead-lettered or dropped for the outage. Other failures are thrown.
    /// </summary>
    private async Task<T> WhileRegistryUnreachableAsync<T>(Func<Task<T>> call, ConsumeResult<string, byte[]> r, string what, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (AvroSerdeException.IsTransientFailure(e))
            {
                ct.ThrowIfCancellationRequested();
                log.LogWarning("command at {Topic}[{Partition}]@{Offset} {What} (attempt {Attempt}), retrying: {Error}",
                    r.Topic, r.Partition.Value, r.Offset.Value, what, attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 * attempt)), time, ct);
            }
        }
    }

    private async Task ForwardAsync(ConsumeResult<string, byte[]> r, string key, int fromTier, int toTier)
    {
        var origin = FailureInfo.Read(r);
        var due = time.GetUtcNow() + options.RetryDelays[toTier - 1];
        var extra = new List<(string, string?)>([.. origin.OriginHeaders(), .. LineageHeaders(r.Message.Headers)])
        {
            (SinkHeaders.DueAt, due.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            (SinkHeaders.HeldBehind, "true"),
        };
        if (origin.Attempts > 0)
        {
            extra.Add((SinkHeaders.Attempts, origin.Attempts.ToString(CultureInfo.InvariantCulture)));
            extra.Add((SinkHeaders.FirstFailureAt, origin.FirstFailureAt?.ToString("O", CultureInfo.InvariantCulture)));
            extra.Add((SinkHeaders.LastFailureAt, FailureInfo.Get(r.Message.Headers, SinkHeaders.LastFailureAt)));
        }

        parked.Add(key, toTier);
        var headers = Retrace(FailureInfo.Rewrite(r.Message.Headers, [.. extra]), r.Message.Headers, "retry-" + toTier.ToString(CultureInfo.InvariantCulture));
        await producer.ProduceAsync(new TopicPartition(options.RetryTopics[toTier - 1], r.Partition),
            new Message<string, byte[]> { Key = r.Message.Key, Value = r.Message.Value, Headers = headers });
        parked.Remove(key, fromTier);
        metrics.Retry(toTier, held: true);
    }

    private async Task RetryAsync(ConsumeResult<string, byte[]> r, string key, int tier, FailureInfo failed, ErpPostingOutcome outcome, DateTimeOffset now)
    {
        var next = tier + 1;
        var delay = options.RetryDelays[next - 1];
        if (outcome.RetryAfter is { } ra && ra > delay)
        {
            delay = ra;
        }

        var headers = Retrace(FailureInfo.Rewrite(r.Message.Headers, [.. failed.OriginHeaders(), .. LineageHeaders(r.Message.Headers),
            .. FailureHeaders(failed, outcome.FailureClass, outcome.HttpStatus, outcome.Message, now),
            (SinkHeaders.DueAt, (now + delay).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))]), r.Message.Headers, "retry-" + next.ToString(CultureInfo.InvariantCulture));
        parked.Add(key, next);
        await producer.ProduceAsync(new TopicPartition(options.RetryTopics[next - 1], r.Partition),
            new Message<string, byte[]> { Key = r.Message.Key, Value = r.Message.Value, Headers = headers });
        metrics.Retry(next, held: false);
        log.LogInformation("command {Key} failed ({Class} {Status}), retry tier {Tier} in {Delay}", key, outcome.FailureClass, outcome.HttpStatus, next, delay);
    }

    private async Task DeadLetterAsync(ConsumeResult<string, byte[]> r, FailureInfo failed, string failureClass, int? httpStatus, string? message, DateTimeOffset? lastFailure)
    {
        var headers = Retrace(FailureInfo.Rewrite(r.Message.Headers, [.. failed.OriginHeaders(), .. LineageHeaders(r.Message.Headers),
            .. FailureHeaders(failed, failureClass, httpStatus, message, lastFailure ?? time.GetUtcNow())]), r.Message.Headers, "dead-letter");
        await producer.ProduceAsync(options.DeadLetterTopic, new Message<string, byte[]> { Key = r.Message.Key, Value = r.Message.Value, Headers = headers });
        metrics.DeadLetter(failureClass);
        log.LogWarning("command {Key} dead-lettered ({Class} {Status}): {Message}", r.Message.Key, failureClass, httpStatus, message);
    }

    private static (string, string?)[] FailureHeaders(FailureInfo f, string? failureClass, int? status, string? message, DateTimeOffset last) =>
    [
        (SinkHeaders.FailureClass, failureClass ?? "unknown"),
        (SinkHeaders.HttpStatus, status?.ToString(CultureInfo.InvariantCulture)),
        (SinkHeaders.Message, message is { Length: > 1000 } ? message[..1000] : message),
        (SinkHeaders.Attempts, f.Attempts.ToString(CultureInfo.InvariantCulture)),
        (SinkHeaders.FirstFailureAt, (f.FirstFailureAt ?? last).ToString("O", CultureInfo.InvariantCulture)),
        (SinkHeaders.LastFailureAt, last.ToString("O", CultureInfo.InvariantCulture)),
    ];

    private async Task ProduceResultAsync(ConsumeResult<string, byte[]> r, PostingResult result, CancellationToken ct) =>
        await producer.ProduceAsync(options.ResultsTopic, await ResultMessageAsync(r, result, ct), CancellationToken.None); // awaited until durable

    private async Task<Message<string, byte[]>> ResultMessageAsync(ConsumeResult<string, byte[]> r, PostingResult result, CancellationToken ct)
    {
        // Lineage: the result's own trace context (a child span), its source event ids and idempotency key as headers.
        var headers = new Headers();
        if (result.Trace?.Traceparent is { } tp)
        {
            headers.Add(SinkHeaders.TraceParent, Encoding.UTF8.GetBytes(tp));
        }

        foreach (var id in result.SourceEventIds)
        {
            headers.Add(SinkHeaders.EventId, Encoding.UTF8.GetBytes(id.ToString("D")));
        }

        headers.Add(SinkHeaders.IdempotencyKey, Encoding.UTF8.GetBytes(result.IdempotencyKey));

        var context = new SerializationContext(MessageComponentType.Value, options.ResultsTopic, headers);
        var bytes = await WhileRegistryUnreachableAsync(() => serializer.SerializeAsync(result, context), r, "posted, its result cannot be written yet", ct);
        return new Message<string, byte[]> { Key = r.Message.Key, Value = bytes, Headers = headers };
    }

    /// <summary>The lineage and latency headers of the command (event ids, idempotency key, accepted/occurred at), which <see cref="FailureInfo.Rewrite"/> would drop.</summary>
    private static List<(string, string?)> LineageHeaders(Headers? original)
    {
        var list = new List<(string, string?)>(2);
        if (original is not null)
        {
            foreach (var h in original)
            {
                if (h.Key is SinkHeaders.EventId or SinkHeaders.IdempotencyKey or SinkHeaders.AcceptedAt or SinkHeaders.OccurredAt)
                {
                    list.Add((h.Key, Encoding.UTF8.GetString(h.GetValueBytes())));
                }
            }
        }

        return list;
    }

    /// <summary>
    /// Replaces the copied traceparent with this hop's child span (<paramref name="hop"/>: retry-N, dead-letter), so each
    /// pass through a tier is its own span of the same trace. An untraced record with an event id joins its event's trace.
    /// </summary>
    private static Headers Retrace(Headers headers, Headers? original, string hop)
    {
        var parent = FailureInfo.Get(original, SinkHeaders.TraceParent);
        TraceParent child;
        if (TraceParent.TryParse(parent, out var p))
        {
            child = p.Child(hop);
        }
        else if (Guid.TryParse(FailureInfo.Get(original, SinkHeaders.EventId), out var eventId))
        {
            child = TraceParent.ForEvent(eventId).Child(hop);
        }
        else
        {
            return headers;
        }

        headers.Remove(SinkHeaders.TraceParent);
        headers.Add(SinkHeaders.TraceParent, Encoding.UTF8.GetBytes(child.Value!));
        return headers;
    }

    /// <summary>The result's trace context: a child ("result") of the consumed record's traceparent header (the retry
    /// tier's span after retries), else of the command's own trace field; tracestate from the command.</summary>
    private static TraceContext? ResultTrace(ConsumeResult<string, byte[]> r, ErpPostingCommand c)
    {
        var parent = FailureInfo.Get(r.Message.Headers, SinkHeaders.TraceParent);
        if (!TraceParent.TryParse(parent, out var p) && !TraceParent.TryParse(c.Trace?.Traceparent, out p))
        {
            if (c.SourceEventIds.Count == 0)
            {
                return c.Trace;
            }

            p = TraceParent.ForEvent(c.SourceEventIds[0]);
        }

        return new TraceContext { Traceparent = p.Child("result").Value, Tracestate = c.Trace?.Tracestate };
    }

    private static PostingResult Result(ConsumeResult<string, byte[]> r, ErpPostingCommand c, PostingStatus status, ErpPostingOutcome o, int attempts,
        DateTimeOffset firstAttempt, DateTimeOffset now) => new()
    {
        IdempotencyKey = c.IdempotencyKey,
        CommandType = c.CommandType,
        Status = status,
        ErpDocumentNumber = o.DocumentNumber,
        ReasonCode = o.IsSuccess ? null : o.FailureClass,
        Reason = o.IsSuccess ? null : o.Message,
        Attempts = attempts,
        OrderKey = c.OrderKey,
        Plant = c.Plant,
        SourceEventIds = c.SourceEventIds,
        CommandCreatedAt = c.CreatedAt,
        FirstAttemptAt = firstAttempt,
        CompletedAt = now,
        Trace = ResultTrace(r, c),
    };
}
