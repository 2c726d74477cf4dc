namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Expected and found postings of one plant.</summary>
internal sealed record PlantCompleteness(string Plant, int Expected, int InLedger)
{
    /// <summary>Share of expected postings in the ledger (1 when none are expected).</summary>
    public double Ratio => Expected == 0 ? 1d : (double)Math.Min(InLedger, Expected) / Expected;
}
