using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MesErpStreams.Contracts.Common;

namespace MesErpStreams.Lineage.Internal;

/// <summary>Prints an <see cref="EventLineage"/> as a table for people or as JSON for tools.</summary>
internal static class LineageFormatter
{
    public static string Text(EventLineage l)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"event {l.EventId}: range {Time(l.From)} .. {Time(l.To)}, {l.Scanned} records read");
        if (l.Decoded > 0)
        {
            sb.Append(inv, $" ({l.Decoded} without lineage headers decoded, {l.Undecodable} undecodable)");
        }

        sb.AppendLine();
        if (l.MissingTopics.Count > 0)
        {
            sb.AppendLine(inv, $"not on the cluster (not read): {string.Join(", ", l.MissingTopics)}");
        }

        if (!l.Found)
        {
            sb.AppendLine(inv, $"event {l.EventId} not found in the range");
            return sb.ToString();
        }

        var rows = l.Hops.Select((h, i) => new[]
        {
            (i + 1).ToString(inv), h.Name, Time(h.Time), h.Latency is { } t ? Duration(t) : "-", h.Record.Position,
            TraceParent.TryParse(h.TraceParent, out var tp) ? tp.ParentId : "-", h.Outcome,
        }).Prepend(["#", "hop", "time (UTC)", "latency", "record", "span", "outcome"]).ToList();
        var widths = Enumerable.Range(0, 6).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var r in rows)
        {
            for (var c = 0; c < 6; c++)
            {
                sb.Append(c == 0 ? r[c].PadLeft(widths[c]) : r[c].PadRight(widths[c])).Append("  ");
            }

            sb.AppendLine(r[6]);
        }

        sb.AppendLine(inv, $"path: {Path(l)}{(l.EndToEnd is { } e ? $"; first to last hop {Duration(e)}" : string.Empty)}");
        sb.AppendLine(TraceSummary(l));
        return sb.ToString();
    }

    public static string Json(EventLineage l)
    {
        using var stream = new MemoryStream();
        // Relaxed escaping keeps "→" and "+" readable; the output goes to terminals and tools, never into HTML.
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("event_id", l.EventId.ToString("D"));
            w.WriteBoolean("found", l.Found);
            w.WriteString("from", Time(l.From));
            w.WriteString("to", Time(l.To));
            w.WriteNumber("records_scanned", l.Scanned);
            w.WriteNumber("records_decoded", l.Decoded);
            w.WriteNumber("records_undecodable", l.Undecodable);
            Strings(w, "missing_topics", l.MissingTopics);
            Strings(w, "trace_ids", l.TraceIds);
            w.WriteBoolean("trace_continuous", l.Found && l.TraceIds.Count == 1 && l.UntracedHops == 0);
            w.WriteString("path", l.Found ? Path(l) : null);
            if (l.EndToEnd is { } e)
            {
                w.WriteNumber("end_to_end_ms", (long)e.TotalMilliseconds);
            }

            w.WriteStartArray("hops");
            foreach (var h in l.Hops)
            {
                w.WriteStartObject();
                w.WriteString("hop", h.Name);
                w.WriteString("topic", h.Record.Topic.Name);
                w.WriteNumber("partition", h.Record.Partition);
                w.WriteNumber("offset", h.Record.Offset);
                w.WriteString("time", Time(h.Time));
                if (h.Latency is { } t)
                {
                    w.WriteNumber("latency_ms", (long)t.TotalMilliseconds);
                }

                w.WriteString("outcome", h.Outcome);
                w.WriteString("traceparent", h.TraceParent);
                w.WriteStartObject("details");
                foreach (var (k, v) in h.Details)
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The hop names in order; a published copy says what became of it, a posting its document.</summary>
    public static string Path(EventLineage l) => string.Join(" → ", l.Hops.Select(h => h.Name switch
    {
        "published" => "published (" + (h.Outcome.Contains("deduplicated", StringComparison.Ordinal) ? "deduplicated"
            : h.Outcome.Contains("rejected", StringComparison.Ordinal) ? "rejected"
            : h.Outcome.EndsWith("processed", StringComparison.Ordinal) ? "processed"
            : h.Outcome.StartsWith("waiting", StringComparison.Ordinal) ? "held back" : "no downstream record") + ")",
        "waiting" => $"waiting (for {h.Details.GetValueOrDefault("waiting_for", "?")})",
        "posted" or "duplicate at ERP" => $"{h.Name} (document {h.Details.GetValueOrDefault("erp_document_number", "?")})",
        "retried" => $"retried (tier {h.Details.GetValueOrDefault("tier", "?")})",
        "dead-lettered" => $"dead-lettered ({h.Details.GetValueOrDefault("reason") ?? h.Details.GetValueOrDefault("failure_class", "?")})",
        _ => h.Name,
    }));

    private static string TraceSummary(EventLineage l)
    {
        var spans = l.Hops.Select(h => TraceParent.TryParse(h.TraceParent, out var t) ? t.ParentId : null).OfType<string>().Distinct(StringComparer.Ordinal).Count();
        var untraced = l.UntracedHops > 0 ? $"; {l.UntracedHops} hop(s) without trace context" : string.Empty;
        return l.TraceIds.Count switch
        {
            0 => "trace: none of the hops carries a W3C traceparent",
            1 => $"trace: {l.TraceIds[0]} on {l.Hops.Count - l.UntracedHops} hop(s), {spans} distinct span(s){untraced}",
            _ => $"trace: NOT continuous, {l.TraceIds.Count} trace ids: {string.Join(", ", l.TraceIds)}{untraced}",
        };
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static string Duration(TimeSpan t)
    {
        var sign = t < TimeSpan.Zero ? "-" : "+";
        var a = t.Duration();
        var inv = CultureInfo.InvariantCulture;
        return a.TotalSeconds switch
        {
            < 1 => sign + a.TotalMilliseconds.ToString("0", inv) + " ms",
            < 120 => sign + a.TotalSeconds.ToString("0.0", inv) + " s",
            < 7200 => sign + a.TotalMinutes.ToString("0.0", inv) + " min",
            _ => sign + a.TotalHours.ToString("0.0", inv) + " h",
        };
    }
}
