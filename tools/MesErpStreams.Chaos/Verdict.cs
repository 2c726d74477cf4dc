using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Harness;
using MesErpStreams.Kafka;
using MesErpStreams.Pipeline;

namespace MesErpStreams.Chaos;

/// <summary>One dead-letter record: where it came from and why.</summary>
internal sealed record DeadLetter(string Topic, Guid? EventId, string? SourceTopic, int? SourcePartition, long? SourceOffset, string Reason);

/// <summary>
/// The judgement of a run, from the ERP ledger and the dead-letter topics against what the simulator sent: every valid
/// unique event exactly one ERP document, one order's documents in event order, every invalid or undecodable input
/// dead-lettered with a reason, every bad edge line rejected.
/// </summary>
internal sealed class Verdict
{
    public int Expected { get; init; }

    public int Posted { get; init; }

    public IReadOnlyList<ExpectedCommand> Missing { get; init; } = [];

    /// <summary>Where each missing document's event stopped (<see cref="Chaos.Whereabouts"/>), set after the judgement.</summary>
    public IReadOnlyList<Whereabout> Whereabouts { get; set; } = [];

    /// <summary>Ledger documents beyond one per expected command: the same key twice, or a key no event implies.</summary>
    public IReadOnlyList<string> Doubled { get; init; } = [];

    /// <summary>Pairs of one order's events of one type whose documents the ERP booked in the opposite order.</summary>
    public IReadOnlyList<string> OutOfOrder { get; init; } = [];

    /// <summary>Events named by <see cref="OutOfOrder"/>, for <see cref="TraceEvents"/>.</summary>
    public IReadOnlySet<Guid> OrderSuspects { get; init; } = new HashSet<Guid>();

    /// <summary>Pairs of one order's events of different types booked in the opposite order (the pipeline orders per event topic only).</summary>
    public int CrossTypeReorders { get; init; }

    public int ExpectedDeadLetters { get; init; }

    public IReadOnlyList<Guid> DeadLettersMissing { get; init; } = [];

    public IReadOnlyList<BadRecord> BadRecordsMissing { get; init; } = [];

    public IReadOnlyDictionary<string, int> DeadLettersByReason { get; init; } = new Dictionary<string, int>();

    public int SinkDeadLetters { get; init; }

    public long EdgeRejectedLines { get; init; }

    public int BadLinesDistinct { get; init; }

    public IReadOnlyList<string> LeakedSecrets { get; init; } = [];

    public IReadOnlyList<string> HarnessErrors { get; init; } = [];

    public IReadOnlyList<string> SecurityFailures { get; init; } = [];

    public bool Ok => Missing.Count == 0 && Doubled.Count == 0 && OutOfOrder.Count == 0 && DeadLettersMissing.Count == 0 && BadRecordsMissing.Count == 0
                      && EdgeRejectedLines >= BadLinesDistinct && LeakedSecrets.Count == 0 && HarnessErrors.Count == 0 && SecurityFailures.Count == 0
                      && SinkDeadLetters == 0;

    public IEnumerable<string> Violations()
    {
        var where = Whereabouts.ToDictionary(w => w.Command.IdempotencyKey, StringComparer.Ordinal);
        foreach (var m in Missing.Take(40))
        {
            var at = where.TryGetValue(m.IdempotencyKey, out var w) ? $"; stopped: {w.Stage}: {w.Detail}" : string.Empty;
            yield return $"MISSING   event {m.EventId} ({m.EventType}, order {m.OrderKey}): no ERP document for {m.IdempotencyKey}{at}";
        }

        foreach (var g in Whereabouts.GroupBy(w => w.Stage).OrderBy(g => g.Key))
        {
            yield return $"MISSING   {g.Count()} document(s) stopped at {g.Key} ({string.Join(", ", g.Select(w => w.Command.OrderKey).Distinct(StringComparer.Ordinal).Take(10))})";
        }

        foreach (var d in Doubled.Take(20))
        {
            yield return "DOUBLED   " + d;
        }

        foreach (var o in OutOfOrder.Take(20))
        {
            yield return "ORDER     " + o;
        }

        foreach (var id in DeadLettersMissing.Take(20))
        {
            yield return $"DLQ       invalid event {id} is not in {PipelineTopology.Topics.EventsDeadLetter}";
        }

        foreach (var b in BadRecordsMissing)
        {
            yield return $"DLQ       {b.Kind} record {b.Topic}[{b.Partition}]@{b.Offset} is not in {PipelineTopology.Topics.EventsDeadLetter}";
        }

        if (EdgeRejectedLines < BadLinesDistinct)
        {
            yield return $"EDGE      {BadLinesDistinct} distinct bad lines written, only {EdgeRejectedLines} rejected";
        }

        if (SinkDeadLetters > 0)
        {
            yield return $"SINK DLQ  {SinkDeadLetters} commands dead-lettered by the sink (every simulated command is valid for the ERP)";
        }

        foreach (var s in LeakedSecrets)
        {
            yield return "SECRET    " + s;
        }

        foreach (var s in SecurityFailures)
        {
            yield return "SECURITY  " + s;
        }

        foreach (var h in HarnessErrors)
        {
            yield return "HARNESS   " + h;
        }
    }

    public static async Task<IReadOnlyList<LedgerRow>> ReadLedgerAsync(ChaosPlatform platform, CancellationToken ct)
    {
        using var http = ErpLedger.Client(platform.ErpUrl, platform.ErpToken);
        return await ErpLedger.ReadAsync(http, ct);
    }

    /// <summary>Every committed record of a topic, read to its end.</summary>
    public static IReadOnlyList<DeadLetter> ReadDeadLetters(string bootstrapServers, string topic)
    {
        var list = new List<DeadLetter>();
        TopicReading.ReadToEnd(bootstrapServers, topic, null, IsolationLevel.ReadCommitted, TimeSpan.FromSeconds(60), r =>
        {
            var h = r.Message.Headers;
            var id = Text(h, PipelineHeaders.EventId) is { } s && Guid.TryParse(s, out var g) ? g : (Guid?)null;
            var reason = Text(h, PipelineHeaders.Reason)
                         ?? (Text(h, DeadLetterHeaders.Stage) is { } stage ? $"{stage}: {Text(h, DeadLetterHeaders.ExceptionClass)}" : NoReason);
            list.Add(new DeadLetter(topic, id,
                Text(h, DeadLetterHeaders.Topic) ?? Text(h, PipelineHeaders.SourceTopic),
                int.TryParse(Text(h, DeadLetterHeaders.Partition) ?? Text(h, PipelineHeaders.SourcePartition), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : null,
                long.TryParse(Text(h, DeadLetterHeaders.Offset) ?? Text(h, PipelineHeaders.SourceOffset), NumberStyles.Integer, CultureInfo.InvariantCulture, out var o) ? o : null,
                reason));
        });
        return list;
    }

    public static Verdict Judge(ExpectedPostings expected, IReadOnlyList<LedgerRow> ledger, IReadOnlyList<DeadLetter> eventDeadLetters, int sinkDeadLetters,
        IReadOnlyList<BadRecord> badRecords, long edgeRejected, int badLinesDistinct, IReadOnlyList<string> leaked, IReadOnlyList<string> harnessErrors,
        IReadOnlyList<string> securityFailures)
    {
        var byKey = ledger.GroupBy(r => r.IdempotencyKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var missing = expected.Commands.Where(c => !byKey.ContainsKey(c.IdempotencyKey)).ToList();
        var doubled = byKey.Where(kv => kv.Value.Count > 1).Select(kv => $"{kv.Key}: {kv.Value.Count} documents ({string.Join(", ", kv.Value.Select(r => r.DocumentNumber))})")
            .Concat(byKey.Keys.Where(k => !expected.IdempotencyKeys.Contains(k)).Select(k => $"{k}: document {byKey[k][0].DocumentNumber} that no event implies"))
            .ToList();

        var outOfOrder = new List<string>();
        var suspects = new HashSet<Guid>();
        var crossType = 0;
        foreach (var order in expected.Commands.Where(c => byKey.ContainsKey(c.IdempotencyKey)).GroupBy(c => c.OrderKey, StringComparer.Ordinal))
        {
            var commands = order.ToList();
            for (var i = 0; i < commands.Count; i++)
            {
                var a = byKey[commands[i].IdempotencyKey][0];
                for (var j = i + 1; j < commands.Count; j++)
                {
                    var b = byKey[commands[j].IdempotencyKey][0];
                    if (a.Plant != b.Plant || a.SequenceKey != b.SequenceKey || a.Sequence < b.Sequence)
                    {
                        continue;
                    }

                    if (commands[i].EventType == commands[j].EventType)
                    {
                        outOfOrder.Add($"order {order.Key}: {commands[i].EventType} {commands[i].EventId} (sent first) booked as #{a.Sequence}, {commands[j].EventId} (sent later) as #{b.Sequence}");
                        suspects.Add(commands[i].EventId);
                        suspects.Add(commands[j].EventId);
                    }
                    else
                    {
                        crossType++;
                    }
                }
            }
        }

        var dlqIds = eventDeadLetters.Where(d => d.EventId is not null).Select(d => d.EventId!.Value).ToHashSet();
        var dlqSources = eventDeadLetters.Where(d => d.SourceTopic is not null).Select(d => (d.SourceTopic, d.SourcePartition, d.SourceOffset)).ToHashSet();
        return new Verdict
        {
            Expected = expected.Commands.Count,
            Posted = ledger.Count,
            Missing = missing,
            Doubled = doubled,
            OutOfOrder = outOfOrder,
            OrderSuspects = suspects,
            CrossTypeReorders = crossType,
            ExpectedDeadLetters = expected.DeadLetteredEventIds.Count,
            DeadLettersMissing = [.. expected.DeadLetteredEventIds.Where(id => !dlqIds.Contains(id))],
            BadRecordsMissing = [.. badRecords.Where(b => !dlqSources.Contains((b.Topic, b.Partition, b.Offset)))],
            DeadLettersByReason = eventDeadLetters.GroupBy(d => d.Reason, StringComparer.Ordinal).OrderByDescending(g => g.Count())
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            SinkDeadLetters = sinkDeadLetters,
            EdgeRejectedLines = edgeRejected,
            BadLinesDistinct = badLinesDistinct,
            LeakedSecrets = leaked,
            HarnessErrors = harnessErrors,
            SecurityFailures = securityFailures,
        };
    }

    /// <summary>
    /// Where each of <paramref name="eventIds"/> went: its event record (topic, partition, offset, from the command's
    /// lineage headers) and every command record that carries it, on the command topic and the sink's retry tiers.
    /// Tells an order violation made at the edge (event offsets reversed) from one made by the processor (command
    /// offsets reversed) or the sink (both in order).
    /// </summary>
    public static IEnumerable<string> TraceEvents(string bootstrapServers, IReadOnlyCollection<Guid> eventIds, IEnumerable<string> commandTopics)
    {
        var wanted = eventIds.Select(g => g.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var trace = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var topic in commandTopics)
        {
            TopicReading.ReadToEnd(bootstrapServers, topic, null, IsolationLevel.ReadCommitted, TimeSpan.FromSeconds(60), r =>
            {
                var h = r.Message.Headers;
                if (Text(h, PipelineHeaders.EventId) is not { } id || !wanted.Contains(id))
                {
                    return;
                }

                if (!trace.TryGetValue(id, out var places))
                {
                    places = [$"event {Text(h, PipelineHeaders.EventTopic)}[{Text(h, PipelineHeaders.EventPartition)}]@{Text(h, PipelineHeaders.EventOffset)}"];
                    trace[id] = places;
                }

                places.Add($"{topic}[{r.Partition.Value}]@{r.Offset.Value} ({r.Message.Timestamp.UtcDateTime:HH:mm:ss.fff})");
            });
        }

        foreach (var (id, places) in trace)
        {
            yield return $"TRACE     {id}: {string.Join(" -> ", places)}";
        }
    }

    public const string NoReason = "NO REASON";

    private static string? Text(Headers headers, string name) => headers.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;
}
