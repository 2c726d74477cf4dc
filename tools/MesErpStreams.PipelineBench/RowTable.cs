using System.Globalization;
using System.Text;

namespace MesErpStreams.PipelineBench;

/// <summary>The benchmark's table: one line per point.</summary>
internal static class RowTable
{
    public static string Header() =>
        $"{"point",-20} {"setup",-15} {"rate/s",7} {"ERP ms",6} {"offered/s",9} {"postings/s",10} {"backlog",8} {"backlog s",9} {"e2e p50 ms",10} {"e2e p99 ms",10} {"CPU s/1k ev",11} {"reconciled",10} {"sustained",9}";

    public static string Line(BenchRow r)
    {
        if (!r.RunOk)
        {
            return Invariant($"{r.Point,-20} {r.Setup,-15} {r.RateTarget,7:0} {r.ErpLatencyMs,6} RUN FAILED: {r.Note} (log: {r.Log})");
        }

        var reconciled = r.ReconciliationOk ? "OK" : r.Undrained ? "UNDRAINED" : Invariant($"LOST {r.PostingsMissing}/EXTRA {r.PostingsExtra}");
        var offered = Invariant($"{r.Point,-20} {r.Setup,-15} {r.RateTarget,7:0} {r.ErpLatencyMs,6} {r.EventsOfferedPerSecond,9:0.0}");
        var achieved = Invariant($"{r.PostingsPerSecond,10:0.0} {r.BacklogAtEnd,8} {r.BacklogSeconds,9:0.00} {Ms(r.E2eP50),10} {Ms(r.E2eP99),10} {r.CpuSecondsPer1000Events,11:0.000}");
        var line = $"{offered} {achieved} {reconciled,10} {(r.Sustained ? "yes" : "no"),9}";
        var note = r.Undrained
            ? Invariant($"drain cut off after {r.DrainSeconds:0} s with {r.PostingsMissing} postings still on their way") + (r.Note is null ? string.Empty : "; " + r.Note)
            : r.Note;
        return note is null ? line : line + "  (" + note + ")";
    }

    public static string Table(IEnumerable<BenchRow> rows)
    {
        var sb = new StringBuilder().AppendLine(Header());
        foreach (var r in rows)
        {
            sb.AppendLine(Line(r));
        }

        return sb.ToString();
    }

    private static string Ms(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
