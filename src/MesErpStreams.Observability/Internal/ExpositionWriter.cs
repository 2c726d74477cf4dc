using System.Text;

namespace MesErpStreams.Observability.Internal;

/// <summary>Writes aggregated instruments in the Prometheus text format 0.0.4, one family per metric name.</summary>
internal static class ExpositionWriter
{
    public static void Write(StringBuilder sb, IReadOnlyList<InstrumentState> instruments, long generation)
    {
        foreach (var family in instruments.GroupBy(i => i.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // Two instruments exported under one name must agree on the type; a conflicting one is left out.
            var first = family.First();
            var members = family.Where(i => i.Kind == first.Kind).ToList();
            var cells = members
                .SelectMany(i => i.Cells.Where(c => !i.Observable || c.Generation == generation).Select(c => (State: i, Cell: c)))
                .OrderBy(x => x.Cell.Labels, StringComparer.Ordinal)
                .ToList();

            sb.Append("# HELP ").Append(first.Name).Append(' ');
            PrometheusText.AppendHelp(sb, first.Help);
            sb.Append('\n');
            sb.Append("# TYPE ").Append(first.Name).Append(' ').Append(TypeName(first.Kind)).Append('\n');
            if (first.Kind == MetricKind.Histogram)
            {
                WriteHistograms(sb, first.Name, cells);
            }
            else
            {
                foreach (var (_, cell) in cells)
                {
                    Sample(sb, first.Name, cell.Labels, null, cell.Value);
                }
            }
        }
    }

    private static void WriteHistograms(StringBuilder sb, string name, List<(InstrumentState State, MetricCell Cell)> cells)
    {
        foreach (var (state, cell) in cells)
        {
            var bounds = state.Bounds!;
            var counts = new long[bounds.Length + 1];
            cell.CopyBuckets(counts);
            long cumulative = 0;
            for (var i = 0; i < bounds.Length; i++)
            {
                cumulative += counts[i];
                Sample(sb, name + "_bucket", cell.Labels, "le=\"" + PrometheusText.FormatValue(bounds[i]) + "\"", cumulative);
            }

            cumulative += counts[^1];
            Sample(sb, name + "_bucket", cell.Labels, "le=\"+Inf\"", cumulative);
            Sample(sb, name + "_sum", cell.Labels, null, cell.Sum);
            Sample(sb, name + "_count", cell.Labels, null, cumulative);
        }
    }

    private static void Sample(StringBuilder sb, string name, string labels, string? extra, double value)
    {
        sb.Append(name);
        if (labels.Length > 0 || extra is not null)
        {
            sb.Append('{').Append(labels);
            if (extra is not null)
            {
                sb.Append(labels.Length > 0 ? "," : string.Empty).Append(extra);
            }

            sb.Append('}');
        }

        sb.Append(' ').Append(PrometheusText.FormatValue(value)).Append('\n');
    }

    private static string TypeName(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Histogram => "histogram",
        _ => "gauge",
    };
}
