namespace MesErpStreams.PipelineBench;

/// <summary>What one benchmark run measures (flags of <c>meserp-bench-pipeline</c>, defaults in <see cref="BenchCommand"/>).</summary>
internal sealed record BenchOptions
{
    /// <summary>The meserp executable every point runs.</summary>
    public required string Meserp { get; init; }

    /// <summary>Offered load per point (the MES simulator's run time).</summary>
    public required TimeSpan Offer { get; init; }

    /// <summary>Rates of the single-process grid, events/s.</summary>
    public required IReadOnlyList<double> Rates { get; init; }

    /// <summary>ERP simulator latencies of the grid, ms.</summary>
    public required IReadOnlyList<int> ErpLatencies { get; init; }

    /// <summary>Ceiling of the search for the highest sustained rate at ERP 0 ms; 0: no search.</summary>
    public required double MaxRate { get; init; }

    /// <summary>Rate of the multi-process point (2 processors, 2 sinks); 0: no multi-process point.</summary>
    public required double MultiRate { get; init; }

    /// <summary>Longest drain after the offer, per point (<c>meserp run --max-drain</c>).</summary>
    public required TimeSpan MaxDrain { get; init; }

    public required int Plants { get; init; }

    public required int ActiveOrders { get; init; }

    public required int Seed { get; init; }

    public required string JsonPath { get; init; }

    /// <summary>Logs of every process and the runs' summaries.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Keep the multi-process point's state (ledger, processor stores) after a passing run.</summary>
    public bool Keep { get; init; }

    /// <summary>The search steps up by this factor.</summary>
    public const double SearchStep = 1.5;

    /// <summary>A rate is sustained when the backlog at the end of the offer is at most this many seconds of postings …</summary>
    public const double MaxBacklogSeconds = 1;

    /// <summary>… the end-to-end p99 is at most this …</summary>
    public const double MaxE2eP99Ms = 1000;

    /// <summary>… and the simulator really offered this share of the rate asked for.</summary>
    public const double MinOfferedShare = 0.9;
}
