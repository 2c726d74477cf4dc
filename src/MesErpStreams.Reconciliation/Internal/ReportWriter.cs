using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Renders a <see cref="ReconciliationReport"/> as a console report or as JSON.</summary>
internal static class ReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] Header = ["PLANT", "ORDER", "MEASURE", "MATERIAL", "UNIT", "MES QTY", "ERP QTY", "DIFF", "MES DOCS", "ERP DOCS"];

    public static void WriteText(ReconciliationReport r, TextWriter w, bool allRows)
    {
        var s = r.Scope;
        w.WriteLine(string.Create(Inv,
            $"reconciliation of occurredAt [{s.From?.ToString("u", Inv) ?? "start"}, {s.To?.ToString("u", Inv) ?? "end"}) plant {s.Plant ?? "*"} work order {s.WorkOrder ?? "*"}; events published before {Time(s.SettledBefore)} count as settled"));
        var completeness = r.NothingSettled
            ? $"nothing settled yet: every event in scope was published after {Time(s.SettledBefore)} (shorten --settle, or run again later)"
            : string.Create(Inv, $"completeness {r.Completeness:P2}");
        w.WriteLine(string.Create(Inv,
            $"events read {r.EventRecords}, in scope {r.EventsInScope}, in flight {r.InFlight}, rejected {r.Rejected.Count}; expected postings {r.ExpectedPostings}, in ERP ledger {r.PostingsInLedger}, {completeness}"));
        foreach (var p in r.Plants)
        {
            w.WriteLine(string.Create(Inv, $"  plant {p.Plant}: expected {p.Expected}, in ledger {p.InLedger}, completeness {p.Ratio:P2}"));
        }

        var rows = allRows ? r.Rows : [.. r.Rows.Where(x => !x.Balanced)];
        w.WriteLine();
        w.WriteLine(allRows ? "per plant / work order (MES = expected in ERP base units; ERP = ledger):" : $"per plant / work order: {r.Rows.Count - rows.Count} of {r.Rows.Count} figures balance; unbalanced ones (--all-rows for every row):");
        if (rows.Count > 0)
        {
            var table = new List<string[]> { Header };
            table.AddRange(rows.Select(x => new[]
            {
                x.Plant, x.Order, x.Measure.Label(), x.Material ?? "", x.Unit ?? "", Num(x.MesQuantity), Num(x.ErpQuantity), Num(x.ErpQuantity - x.MesQuantity),
                x.MesDocuments.ToString(Inv), x.ErpDocuments.ToString(Inv),
            }));
            WriteTable(w, table);
        }

        w.WriteLine();
        w.WriteLine(string.Create(Inv, $"gaps: {r.Gaps.Count}"));
        WriteGaps(r, w, int.MaxValue);

        if (r.Rejected.Count > 0)
        {
            w.WriteLine();
            w.WriteLine(string.Create(Inv, $"rejected by the pipeline (in mes.events.dlq; not gaps): {r.Rejected.Count}"));
            foreach (var x in r.Rejected)
            {
                w.WriteLine(string.Create(Inv, $"  {x.EventId:D} {x.EventType} plant {x.Plant} order {x.Order}: {x.Reason}"));
            }
        }

        if (r.Superseded.Count > 0)
        {
            w.WriteLine();
            w.WriteLine(string.Create(Inv, $"superseded versions (sent again under the same event id, corrected; reconciled against the posted version): {r.Superseded.Count}"));
            foreach (var x in r.Superseded)
            {
                w.WriteLine(string.Create(Inv, $"  {x.EventId:D} at {x.Position}: superseded by {x.PostedPosition}, which was posted"));
            }
        }
    }

    /// <summary>One line per gap (the first <paramref name="max"/>).</summary>
    public static void WriteGaps(ReconciliationReport r, TextWriter w, int max)
    {
        foreach (var g in r.Gaps.Take(max))
        {
            w.WriteLine(string.Create(Inv,
                $"  {g.KindLabel} [{g.Stage}] plant {g.Plant} order {g.Order} key {g.IdempotencyKey ?? "-"} events {Ids(g.EventIds)}: expected {Effect.Describe(g.Expected)}; in ERP {Effect.Describe(g.Actual)}; {g.Detail}"));
        }
    }

    public static void WriteJson(ReconciliationReport r, Stream stream)
    {
        using var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        j.WriteStartObject();
        j.WriteString("createdAt", r.CreatedAt);
        j.WriteStartObject("scope");
        Nullable(j, "from", r.Scope.From);
        Nullable(j, "to", r.Scope.To);
        j.WriteString("plant", r.Scope.Plant);
        j.WriteString("workOrder", r.Scope.WorkOrder);
        Nullable(j, "settledBefore", r.Scope.SettledBefore == DateTimeOffset.MaxValue ? null : r.Scope.SettledBefore);
        j.WriteEndObject();
        j.WriteNumber("eventRecords", r.EventRecords);
        j.WriteNumber("eventsInScope", r.EventsInScope);
        j.WriteNumber("inFlight", r.InFlight);
        j.WriteNumber("expectedPostings", r.ExpectedPostings);
        j.WriteNumber("postingsInLedger", r.PostingsInLedger);
        if (r.NothingSettled)
        {
            j.WriteNull("completeness");
            j.WriteBoolean("nothingSettled", true);
        }
        else
        {
            j.WriteNumber("completeness", r.Completeness);
            j.WriteBoolean("nothingSettled", false);
        }
        j.WriteNumber("gapCount", r.Gaps.Count);
        j.WriteStartArray("plants");
        foreach (var p in r.Plants)
        {
            j.WriteStartObject();
            j.WriteString("plant", p.Plant);
            j.WriteNumber("expected", p.Expected);
            j.WriteNumber("inLedger", p.InLedger);
            j.WriteNumber("completeness", p.Ratio);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteStartArray("rows");
        foreach (var x in r.Rows)
        {
            j.WriteStartObject();
            j.WriteString("plant", x.Plant);
            j.WriteString("order", x.Order);
            j.WriteString("measure", x.Measure.Label());
            j.WriteString("material", x.Material);
            j.WriteString("unit", x.Unit);
            j.WriteNumber("mesQuantity", x.MesQuantity.Normalize());
            j.WriteNumber("erpQuantity", x.ErpQuantity.Normalize());
            j.WriteNumber("mesDocuments", x.MesDocuments);
            j.WriteNumber("erpDocuments", x.ErpDocuments);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteStartArray("gaps");
        foreach (var g in r.Gaps)
        {
            j.WriteStartObject();
            j.WriteString("kind", g.KindLabel);
            j.WriteString("stage", g.Stage);
            j.WriteString("plant", g.Plant);
            j.WriteString("order", g.Order);
            j.WriteString("idempotencyKey", g.IdempotencyKey);
            j.WriteStartArray("eventIds");
            foreach (var id in g.EventIds)
            {
                j.WriteStringValue(id);
            }

            j.WriteEndArray();
            Effects(j, "expected", g.Expected);
            Effects(j, "actual", g.Actual);
            j.WriteString("detail", g.Detail);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteStartArray("rejected");
        foreach (var x in r.Rejected)
        {
            j.WriteStartObject();
            j.WriteString("eventId", x.EventId);
            j.WriteString("eventType", x.EventType);
            j.WriteString("plant", x.Plant);
            j.WriteString("order", x.Order);
            j.WriteString("reason", x.Reason);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteStartArray("superseded");
        foreach (var x in r.Superseded)
        {
            j.WriteStartObject();
            j.WriteString("eventId", x.EventId);
            j.WriteString("position", x.Position);
            j.WriteString("postedPosition", x.PostedPosition);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteEndObject();
    }

    private static void Effects(Utf8JsonWriter j, string name, IReadOnlyList<Effect>? effects)
    {
        if (effects is null)
        {
            j.WriteNull(name);
            return;
        }

        j.WriteStartArray(name);
        foreach (var e in effects)
        {
            j.WriteStartObject();
            j.WriteString("measure", e.Measure.Label());
            j.WriteString("material", e.Material);
            j.WriteNumber("quantity", e.Quantity.Normalize());
            j.WriteString("unit", e.Unit);
            j.WriteEndObject();
        }

        j.WriteEndArray();
    }

    private static void Nullable(Utf8JsonWriter j, string name, DateTimeOffset? t)
    {
        if (t is { } v)
        {
            j.WriteString(name, v);
        }
        else
        {
            j.WriteNull(name);
        }
    }

    private static void WriteTable(TextWriter w, List<string[]> table)
    {
        var widths = Enumerable.Range(0, table[0].Length).Select(c => table.Max(r => r[c].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in table)
        {
            sb.Clear().Append("  ");
            for (var c = 0; c < row.Length; c++)
            {
                // Numbers right-aligned, text left-aligned.
                sb.Append(c >= 5 ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c])).Append("  ");
            }

            w.WriteLine(sb.ToString().TrimEnd());
        }
    }

    private static string Num(decimal d) => d.Normalize().ToString(Inv);

    private static string Ids(IReadOnlyList<Guid> ids) => ids.Count == 0 ? "-" : string.Join(",", ids.Select(i => i.ToString("D")));

    private static string Time(DateTimeOffset t) => t == DateTimeOffset.MaxValue ? "now" : t.ToString("u", Inv);
}
