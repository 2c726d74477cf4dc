namespace MesErpStreams.Lineage.Internal;

/// <summary>One step on an event's path.</summary>
/// <param name="Name">published, dead-lettered, command emitted, retried, posted, duplicate at ERP, rejected, failed.</param>
/// <param name="Record">The record that shows it.</param>
/// <param name="Time">When it happened (see docs/lineage.md for which time each hop uses).</param>
/// <param name="Outcome">What happened, for people.</param>
/// <param name="TraceParent">The record's W3C traceparent (header, else the value's trace field).</param>
/// <param name="Details">Machine-readable facts (idempotency key, document number, reason, …).</param>
internal sealed record LineageHop(string Name, MatchedRecord Record, DateTimeOffset Time, string Outcome, string? TraceParent,
    IReadOnlyDictionary<string, string> Details)
{
    /// <summary>Time since the previous hop (null for the first).</summary>
    public TimeSpan? Latency { get; init; }
}

/// <summary>The traced path of one event.</summary>
/// <param name="EventId">The event id.</param>
/// <param name="Hops">The hops in time order.</param>
/// <param name="Scanned">Records read in the range.</param>
/// <param name="MissingTopics">Topics that do not exist on the cluster (not read).</param>
/// <param name="From">Start of the range.</param>
/// <param name="To">End of the range.</param>
internal sealed record EventLineage(Guid EventId, IReadOnlyList<LineageHop> Hops, long Scanned, IReadOnlyList<string> MissingTopics,
    DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Records without lineage headers whose values were decoded to compare event ids.</summary>
    public long Decoded { get; init; }

    /// <summary>Records without lineage headers whose values could not be decoded (skipped).</summary>
    public long Undecodable { get; init; }

    /// <summary>True when any record of the event was found.</summary>
    public bool Found => Hops.Count > 0;

    /// <summary>The distinct trace ids of the hops (one when the trace was carried end to end).</summary>
    public IReadOnlyList<string> TraceIds { get; } = Hops.Select(h => Contracts.Common.TraceParent.TryParse(h.TraceParent, out var t) ? t.TraceId : null)
        .OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Hops without a valid traceparent.</summary>
    public int UntracedHops => Hops.Count(h => !Contracts.Common.TraceParent.TryParse(h.TraceParent, out _));

    /// <summary>Time from the first to the last hop.</summary>
    public TimeSpan? EndToEnd => Hops.Count > 1 ? Hops[^1].Time - Hops[0].Time : null;
}
