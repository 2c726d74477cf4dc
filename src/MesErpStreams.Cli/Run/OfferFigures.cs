namespace MesErpStreams.Cli.Run;

/// <summary>
/// Throughput, backlog and CPU figures of one offer window (the time the MES simulator publishes): the arithmetic
/// behind <c>meserp run</c>'s summary and the pipeline benchmark's multi-process rows, in one place.
/// </summary>
/// <param name="OfferSeconds">Length of the offer window in seconds (0.1 s).</param>
/// <param name="EventsOfferedPerSecond">Events published (duplicates and invalid ones included) per second of the window.</param>
/// <param name="PostingsPerSecond">ERP documents that entered the ledger during the window, per second of it.</param>
/// <param name="BacklogAtEnd">Postings the published events imply that were not in the ledger when the window closed (never negative).</param>
/// <param name="BacklogSeconds">The backlog in seconds of offered postings: <see cref="BacklogAtEnd"/> / (expected postings / window).</param>
/// <param name="CpuSecondsPer1000Events">CPU time (user + system) spent during the window per 1,000 events published.</param>
public sealed record OfferFigures(double OfferSeconds, double EventsOfferedPerSecond, double PostingsPerSecond, long BacklogAtEnd,
    double BacklogSeconds, double CpuSecondsPer1000Events)
{
    /// <summary>Computes the figures of a window.</summary>
    /// <param name="window">How long the window lasted.</param>
    /// <param name="eventsPublished">Events published in it.</param>
    /// <param name="expectedPostings">ERP postings those events imply (one per valid, unique event).</param>
    /// <param name="ledgerAtStart">ERP ledger documents when the window opened.</param>
    /// <param name="ledgerAtEnd">ERP ledger documents when it closed.</param>
    /// <param name="cpu">CPU time spent during the window (over every process involved).</param>
    /// <returns>The figures; rates are 0 for an empty window or one without events.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count or time is negative.</exception>
    public static OfferFigures Compute(TimeSpan window, long eventsPublished, long expectedPostings, long ledgerAtStart, long ledgerAtEnd, TimeSpan cpu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(eventsPublished);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedPostings);
        ArgumentOutOfRangeException.ThrowIfNegative(ledgerAtStart);
        ArgumentOutOfRangeException.ThrowIfLessThan(ledgerAtEnd, ledgerAtStart);
        ArgumentOutOfRangeException.ThrowIfLessThan(cpu, TimeSpan.Zero);
        var seconds = window.TotalSeconds;
        var backlog = Math.Max(0, expectedPostings - ledgerAtEnd);
        var offeredPostingsPerSecond = seconds > 0 ? expectedPostings / seconds : 0;
        return new OfferFigures(
            OfferSeconds: Math.Round(seconds, 1),
            EventsOfferedPerSecond: seconds > 0 ? Math.Round(eventsPublished / seconds, 1) : 0,
            PostingsPerSecond: seconds > 0 ? Math.Round((ledgerAtEnd - ledgerAtStart) / seconds, 1) : 0,
            BacklogAtEnd: backlog,
            BacklogSeconds: offeredPostingsPerSecond > 0 ? Math.Round(backlog / offeredPostingsPerSecond, 2) : 0,
            CpuSecondsPer1000Events: eventsPublished > 0 ? Math.Round(cpu.TotalSeconds / (eventsPublished / 1000d), 3) : 0);
    }
}
