using System.Globalization;

namespace MesErpStreams.Reconciliation;

/// <summary>The headline figures of a reconciliation and the first gaps, as report lines.</summary>
/// <param name="ExpectedPostings">Postings the settled, valid events in scope imply.</param>
/// <param name="PostingsInLedger">Of those, found in the ERP ledger.</param>
/// <param name="Gaps">Gaps of every kind (missing, extra, quantity mismatch).</param>
/// <param name="Rejected">Events the pipeline dead-lettered (not gaps).</param>
/// <param name="InFlight">Events too recent to be expected yet.</param>
/// <param name="Completeness">PostingsInLedger ÷ ExpectedPostings (1 when none are expected).</param>
/// <param name="GapLines">The first gaps (at most 20), one report line each.</param>
public sealed record ReconciliationSummary(int ExpectedPostings, int PostingsInLedger, int Gaps, int Rejected, int InFlight, double Completeness, IReadOnlyList<string> GapLines)
{
    /// <summary>True when there is no gap.</summary>
    public bool Ok => Gaps == 0;

    /// <summary>One line: <c>expected=… in_ledger=… gaps=… rejected=… in_flight=… completeness=…</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"expected={ExpectedPostings} in_ledger={PostingsInLedger} gaps={Gaps} rejected={Rejected} in_flight={InFlight} completeness={Completeness:0.####}");
}
