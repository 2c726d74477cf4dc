namespace MesErpStreams.Reconciliation.Internal;

/// <summary>The outcome of a reconciliation.</summary>
internal sealed record ReconciliationReport
{
    public required ReconcileScope Scope { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Event records read (duplicates included).</summary>
    public required int EventRecords { get; init; }

    /// <summary>Distinct events in scope (range, plant, order), settled or not.</summary>
    public required int EventsInScope { get; init; }

    /// <summary>Events in scope published too recently to be expected in the ERP yet.</summary>
    public required int InFlight { get; init; }

    public required int ExpectedPostings { get; init; }

    public required int PostingsInLedger { get; init; }

    public required IReadOnlyList<ReportRow> Rows { get; init; }

    public required IReadOnlyList<Gap> Gaps { get; init; }

    public required IReadOnlyList<RejectedEvent> Rejected { get; init; }

    /// <summary>Event versions sent again under the same id, corrected, that are not the version that was posted.</summary>
    public IReadOnlyList<SupersededEvent> Superseded { get; init; } = [];

    public required IReadOnlyList<PlantCompleteness> Plants { get; init; }

    public double Completeness => ExpectedPostings == 0 ? 1d : (double)Math.Min(PostingsInLedger, ExpectedPostings) / ExpectedPostings;

    /// <summary>
    /// Nothing was compared: no posting is expected yet while events in scope are still in flight (first plant trial:
    /// "in flight 5 … expected postings 0 … completeness 100.00 %" after a run of a few seconds).
    /// </summary>
    public bool NothingSettled => ExpectedPostings == 0 && InFlight > 0 && Gaps.Count == 0;

    public bool HasGaps => Gaps.Count > 0;
}
