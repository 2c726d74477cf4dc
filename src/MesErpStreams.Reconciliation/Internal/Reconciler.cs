using MesErpStreams.Contracts.Erp;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>
/// Compares what MES reported with what the ERP posted. Each distinct, settled event in scope follows its chain
/// event → command (<c>erp.posting-commands</c>) → posting result (<c>erp.posting-results</c>) → ledger document, and the
/// first broken link is its gap; ledger documents no event explains are extra. Dead-lettered events are listed as
/// rejected, not as gaps. Pure: no I/O, so it is unit tested on its own.
/// </summary>
internal static class Reconciler
{
    /// <summary>
    /// Which version of each event id counts: the one the processor made its command of (the command's
    /// <c>meserp.event.*</c> headers name the record), else the first delivery. An event corrected and sent again under the
    /// same id after its first version was dead-lettered is posted from the corrected version; reconciling the first one
    /// showed a quantity mismatch forever (first plant trial). The versions that differ from the counted one are listed
    /// as superseded.
    /// </summary>
    private static Dictionary<Guid, ObservedEvent> CountedVersions(ReconcileInput input, Dictionary<Guid, ErpPostingCommand> commandsByEvent, Accumulator acc)
    {
        var counted = new Dictionary<Guid, ObservedEvent>();
        foreach (var versions in input.Events.GroupBy(o => o.Event.EventId))
        {
            var first = versions.First();
            var posted = commandsByEvent.TryGetValue(versions.Key, out var c) && input.CommandOrigins?.GetValueOrDefault(c.IdempotencyKey) is { } origin
                ? versions.FirstOrDefault(v => v.Position == origin)
                : null;
            var chosen = posted ?? first;
            counted[versions.Key] = chosen;
            if (posted is not null)
            {
                foreach (var v in versions.Where(v => v.Position != posted.Position && !Effect.Same(Effect.Reported(v.Event), Effect.Reported(posted.Event))))
                {
                    acc.Superseded.Add(new SupersededEvent(versions.Key, v.Position!, posted.Position!));
                }
            }
        }

        return counted;
    }

    public static ReconciliationReport Reconcile(ReconcileInput input, ReconcileScope scope, DateTimeOffset now)
    {
        var commandsByEvent = new Dictionary<Guid, ErpPostingCommand>();
        var knownKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in input.Commands)
        {
            knownKeys.Add(c.IdempotencyKey);
            foreach (var id in c.SourceEventIds)
            {
                commandsByEvent.TryAdd(id, c);
            }
        }

        var results = BestResults(input.Results);
        var ledger = new Dictionary<string, LedgerDocument>(StringComparer.Ordinal);
        foreach (var d in input.Ledger)
        {
            ledger.TryAdd(d.IdempotencyKey, d);
        }

        var acc = new Accumulator();
        var counted = CountedVersions(input, commandsByEvent, acc);
        var matched = new HashSet<string>(StringComparer.Ordinal);
        int inScope = 0, inFlight = 0;
        foreach (var o in input.Events)
        {
            var e = o.Event;
            if (!ReferenceEquals(counted[e.EventId], o))
            {
                continue; // a re-sent duplicate, or a version superseded by the one that was posted
            }

            knownKeys.Add(IdempotencyKeys.For(CommandTypeOf(e.Kind), e.EventId));
            var order = OrderOf(e);
            if (!scope.InRange(e.OccurredAt) || !scope.Contains(e.Plant, e.WorkOrder is { Length: > 0 } ? e.WorkOrder : null))
            {
                continue;
            }

            inScope++;
            if (o.RecordTime >= scope.SettledBefore)
            {
                inFlight++;
                continue;
            }

            if (!commandsByEvent.TryGetValue(e.EventId, out var command))
            {
                if (input.DeadLetters.TryGetValue(e.EventId, out var reason))
                {
                    acc.Rejected.Add(new RejectedEvent(e.EventId, e.Kind.ToString(), e.Plant, order, reason));
                    continue;
                }

                var wanted = o.Mapped is { } m ? Effect.Of(m) : Effect.Reported(e);
                acc.Expect(e.Plant, order, wanted);
                acc.Gaps.Add(new Gap(GapKind.Missing, GapStages.NoCommand, e.Plant, order, o.Mapped?.IdempotencyKey, [e.EventId], wanted, null,
                    $"{e.Kind} {e.EventId:D} has no posting command (still waiting for master data, or lost)"));
                continue;
            }

            if (!matched.Add(command.IdempotencyKey))
            {
                continue; // a command of several events is expected once
            }

            var commandEffects = Effect.Of(command);
            var expected = o.Mapped is { } mapped ? Effect.Of(mapped) : commandEffects;
            acc.Expect(e.Plant, order, expected);
            if (!Effect.Same(expected, commandEffects))
            {
                acc.Gaps.Add(new Gap(GapKind.QuantityMismatch, GapStages.Command, e.Plant, order, command.IdempotencyKey, command.SourceEventIds, expected, commandEffects,
                    "the command's quantities differ from what the event converts to with the current master data"));
            }

            if (ledger.TryGetValue(command.IdempotencyKey, out var doc))
            {
                var booked = Effect.Of(doc);
                acc.Book(e.Plant, order, booked, found: true);
                if (!Effect.Same(commandEffects, booked))
                {
                    acc.Gaps.Add(new Gap(GapKind.QuantityMismatch, GapStages.Ledger, e.Plant, order, command.IdempotencyKey, command.SourceEventIds, commandEffects, booked,
                        $"ERP document {doc.DocumentNumber} differs from the command"));
                }

                continue;
            }

            acc.Gaps.Add(MissingInLedger(command, results.GetValueOrDefault(command.IdempotencyKey), input.Retrying?.GetValueOrDefault(command.IdempotencyKey), e.Plant, order, commandEffects));
        }

        foreach (var d in input.Ledger)
        {
            if (matched.Contains(d.IdempotencyKey) || knownKeys.Contains(d.IdempotencyKey) || !scope.Contains(d.Plant, d.OrderNumber)
                || d.PostedAt >= input.SnapshotTime || (scope.From is { } from && d.PostedAt < from))
            {
                continue;
            }

            var order = d.OrderNumber ?? "-";
            var booked = Effect.Of(d);
            acc.Book(d.Plant, order, booked, found: false);
            acc.Gaps.Add(new Gap(GapKind.Extra, GapStages.UnknownDocument, d.Plant, order, d.IdempotencyKey, [], null, booked,
                $"ERP document {d.DocumentNumber} ({d.DocumentType}) posted {d.PostedAt:u} is explained by no MES event"));
        }

        return new ReconciliationReport
        {
            Scope = scope,
            CreatedAt = now,
            EventRecords = input.Events.Count,
            EventsInScope = inScope,
            InFlight = inFlight,
            ExpectedPostings = acc.Plants.Values.Sum(p => p.Expected),
            PostingsInLedger = acc.Plants.Values.Sum(p => p.Found),
            Rows = [.. acc.Rows.Values.OrderBy(r => r.Plant, StringComparer.Ordinal).ThenBy(r => r.Order, StringComparer.Ordinal).ThenBy(r => r.Measure)
                .ThenBy(r => r.Material, StringComparer.Ordinal).ThenBy(r => r.Unit, StringComparer.Ordinal)],
            Gaps = [.. acc.Gaps.OrderBy(g => g.Plant, StringComparer.Ordinal).ThenBy(g => g.Order, StringComparer.Ordinal).ThenBy(g => g.IdempotencyKey, StringComparer.Ordinal)],
            Rejected = acc.Rejected,
            Superseded = acc.Superseded,
            Plants = [.. acc.Plants.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new PlantCompleteness(p.Key, p.Value.Expected, p.Value.Found))],
        };
    }

    private static Gap MissingInLedger(ErpPostingCommand c, PostingResult? r, RetryState? retry, string plant, string order, Effect[] expected)
    {
        var (stage, detail) = r?.Status switch
        {
            null when retry is not null => (GapStages.Retrying, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"waiting in the sink's retry tier {retry.Tier} after {retry.Attempts} failed attempts (last: {retry.LastFailure ?? "held behind an earlier command of its key"}), due {retry.DueAt:u}")),
            PostingStatus.Posted or PostingStatus.Duplicate => (GapStages.NotInLedger, $"posted as ERP document {r.ErpDocumentNumber} but not in the ERP ledger"),
            PostingStatus.Rejected => (GapStages.ErpRejected, $"the ERP rejected it: {r.ReasonCode} {r.Reason}".TrimEnd()),
            PostingStatus.DeadLettered => (GapStages.SinkDeadLettered, $"the sink dead-lettered it after {r.Attempts} attempts: {r.ReasonCode} {r.Reason}".TrimEnd()),
            _ => (GapStages.NotPosted, "the command has no posting result and is not in the ERP ledger (not posted yet: while the ERP is unavailable the sink holds postings, see its readiness and meserp.sink.erp.unavailable_since)"),
        };
        return new Gap(GapKind.Missing, stage, plant, order, c.IdempotencyKey, c.SourceEventIds, expected, null, detail);
    }

    /// <summary>Per key the result that settles it: a successful one if any, else the latest.</summary>
    private static Dictionary<string, PostingResult> BestResults(IReadOnlyList<PostingResult> results)
    {
        var best = new Dictionary<string, PostingResult>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            if (!best.TryGetValue(r.IdempotencyKey, out var b) || (!Succeeded(b) && (Succeeded(r) || r.CompletedAt >= b.CompletedAt)))
            {
                best[r.IdempotencyKey] = r;
            }
        }

        return best;

        static bool Succeeded(PostingResult r) => r.Status is PostingStatus.Posted or PostingStatus.Duplicate;
    }

    internal static ErpCommandType CommandTypeOf(EventKind kind) => kind switch
    {
        EventKind.MaterialConsumption => ErpCommandType.GoodsMovement,
        EventKind.QualityHold => ErpCommandType.StockStatusChange,
        _ => ErpCommandType.OrderConfirmation,
    };

    /// <summary>The report row of an event: its work order (holds without one: "-").</summary>
    internal static string OrderOf(MesEvent e) => e.WorkOrder is { Length: > 0 } w ? w : "-";

    private sealed class Accumulator
    {
        public Dictionary<(string, string, Measure, string?, string?), ReportRow> Rows { get; } = [];

        public Dictionary<string, (int Expected, int Found)> Plants { get; } = new(StringComparer.Ordinal);

        public List<Gap> Gaps { get; } = [];

        public List<RejectedEvent> Rejected { get; } = [];

        public List<SupersededEvent> Superseded { get; } = [];

        public void Expect(string plant, string order, IReadOnlyList<Effect> effects)
        {
            var p = Plants.GetValueOrDefault(plant);
            Plants[plant] = (p.Expected + 1, p.Found);
            foreach (var x in effects)
            {
                var row = Row(plant, order, x);
                row.MesQuantity += x.Quantity;
                row.MesDocuments++;
            }
        }

        public void Book(string plant, string order, IReadOnlyList<Effect> effects, bool found)
        {
            if (found)
            {
                var p = Plants.GetValueOrDefault(plant);
                Plants[plant] = (p.Expected, p.Found + 1);
            }

            foreach (var x in effects)
            {
                var row = Row(plant, order, x);
                row.ErpQuantity += x.Quantity;
                row.ErpDocuments++;
            }
        }

        private ReportRow Row(string plant, string order, Effect x)
        {
            var key = (plant, order, x.Measure, x.Material, x.Unit);
            if (!Rows.TryGetValue(key, out var row))
            {
                Rows[key] = row = new ReportRow(plant, order, x.Measure, x.Material, x.Unit);
            }

            return row;
        }
    }
}
