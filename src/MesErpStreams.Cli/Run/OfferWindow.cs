using System.Diagnostics;

namespace MesErpStreams.Cli.Run;

/// <summary>
/// The offer window of a run, from the MES simulator's start to its stop: the clock, this process's CPU time and the
/// ERP ledger's document count at both ends.
/// </summary>
internal sealed class OfferWindow
{
    private readonly Stopwatch _clock;
    private readonly TimeSpan _cpuAtStart;
    private readonly long _ledgerAtStart;

    private OfferWindow(long ledgerAtStart)
    {
        _ledgerAtStart = ledgerAtStart;
        _cpuAtStart = Environment.CpuUsage.TotalTime;
        _clock = Stopwatch.StartNew();
    }

    /// <summary>Opens the window (reads the ledger count first, so the request is not counted in the window).</summary>
    public static async Task<OfferWindow> OpenAsync(HttpClient erp) =>
        new(await Reconciliation.LedgerCountAsync(erp, CancellationToken.None));

    /// <summary>Closes the window: elapsed time and CPU first, then the ledger count.</summary>
    public async Task<Closed> CloseAsync(HttpClient erp)
    {
        var elapsed = _clock.Elapsed;
        var cpu = Environment.CpuUsage.TotalTime - _cpuAtStart;
        return new Closed(elapsed, cpu, _ledgerAtStart, await Reconciliation.LedgerCountAsync(erp, CancellationToken.None));
    }

    /// <summary>What a closed window measured.</summary>
    public sealed record Closed(TimeSpan Elapsed, TimeSpan Cpu, long LedgerAtStart, long LedgerAtEnd)
    {
        public OfferFigures Figures(long eventsPublished, long expectedPostings) =>
            OfferFigures.Compute(Elapsed, eventsPublished, expectedPostings, LedgerAtStart, LedgerAtEnd, Cpu);
    }
}
