namespace MesErpStreams.Replay;

/// <summary>The outcome of a replay.</summary>
/// <param name="Scanned">Records read in the range.</param>
/// <param name="Matched">Records that passed the filters.</param>
/// <param name="Replayed">Records written and acknowledged (0 in a dry run).</param>
/// <param name="SkippedNoTarget">Matching records without an origin header when no target topic was given.</param>
/// <param name="ByTarget">Matched records per target topic.</param>
/// <param name="ByReason">Matched records per reason or failure class (<c>-</c> when neither header is present).</param>
/// <param name="DryRun">Whether nothing was written.</param>
public sealed record ReplaySummary(long Scanned, long Matched, long Replayed, long SkippedNoTarget,
    IReadOnlyDictionary<string, long> ByTarget, IReadOnlyDictionary<string, long> ByReason, bool DryRun);
