using System.Diagnostics.Metrics;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>
/// Instruments of <c>meserp reconcile</c> (Meter <c>MesErpStreams.Reconciliation</c>), observed from the latest report:
/// <c>meserpstreams_reconciliation_meserp_reconciliation_completeness{plant}</c> (share of expected postings found in the ERP ledger),
/// <c>meserpstreams_reconciliation_meserp_reconciliation_gaps{plant,kind}</c>, <c>meserpstreams_reconciliation_meserp_reconciliation_last_run_timestamp</c> and
/// <c>meserpstreams_reconciliation_meserp_reconciliation_runs{result}</c> (result: clean, gaps, failed).
/// </summary>
internal static class ReconcileMetrics
{
    public const string MeterName = "MesErpStreams.Reconciliation";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("meserp.reconciliation.runs", "{run}", "Reconciliation runs, by result (clean, gaps, failed)");
    private static ReconciliationReport? _latest;

    static ReconcileMetrics()
    {
        Meter.CreateObservableGauge("meserp.reconciliation.completeness", ObserveCompleteness, "1", "Share of expected ERP postings found in the ERP ledger, by plant (latest reconciliation)");
        Meter.CreateObservableGauge("meserp.reconciliation.gaps", ObserveGaps, "{gap}", "Gaps found by the latest reconciliation, by plant and kind (missing, extra, quantity-mismatch)");
        Meter.CreateObservableGauge("meserp.reconciliation.last_run_timestamp", () =>
            Volatile.Read(ref _latest) is { } r ? [new Measurement<double>(r.CreatedAt.ToUnixTimeMilliseconds() / 1000d)] : Array.Empty<Measurement<double>>(),
            "s", "Unix time of the latest completed reconciliation");
    }

    public static void Record(ReconciliationReport report)
    {
        Volatile.Write(ref _latest, report);
        Runs.Add(1, new KeyValuePair<string, object?>("result", report.HasGaps ? "gaps" : "clean"));
    }

    public static void Failed() => Runs.Add(1, new KeyValuePair<string, object?>("result", "failed"));

    private static IEnumerable<Measurement<double>> ObserveCompleteness()
    {
        if (Volatile.Read(ref _latest) is not { } r)
        {
            yield break;
        }

        foreach (var p in r.Plants)
        {
            yield return new Measurement<double>(p.Ratio, new KeyValuePair<string, object?>("plant", p.Plant));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveGaps()
    {
        if (Volatile.Read(ref _latest) is not { } r)
        {
            yield break;
        }

        // Every kind of every plant is reported, zero included, so an alert sees a gap count go back to 0.
        var plants = r.Plants.Select(p => p.Plant).Concat(r.Gaps.Select(g => g.Plant)).Distinct(StringComparer.Ordinal);
        foreach (var plant in plants)
        {
            foreach (var kind in new[] { GapKind.Missing, GapKind.Extra, GapKind.QuantityMismatch })
            {
                var n = r.Gaps.Count(g => g.Kind == kind && g.Plant == plant);
                var label = kind switch { GapKind.Missing => "missing", GapKind.Extra => "extra", _ => "quantity-mismatch" };
                yield return new Measurement<long>(n, new KeyValuePair<string, object?>("plant", plant), new KeyValuePair<string, object?>("kind", label));
            }
        }
    }
}
