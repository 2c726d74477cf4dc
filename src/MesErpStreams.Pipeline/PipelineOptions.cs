using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Pipeline;

/// <summary>Behaviour of the MES → ERP processor (configuration section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Pipeline";

    /// <summary>How long an event id is remembered for deduplication. Default 7 days.</summary>
    public TimeSpan DedupeRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How often (wall-clock) each task sweeps dedupe entries older than <see cref="DedupeRetention"/> out of its
    /// store, up to 50,000 entries per run. Expired entries no longer count as seen whether swept or not; the sweep
    /// bounds the store's size. Default 10 s.
    /// </summary>
    public TimeSpan DedupeSweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an event waits for missing master data before it is dead-lettered with MASTER_DATA_MISSING. Default 1 hour.</summary>
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often (wall-clock) waiting events are retried against the master-data tables and checked against
    /// <see cref="PendingTimeout"/>. Default 10 s. The retry releases events whose master data arrived while their task
    /// was not running (restart, rebalance); master data arriving while it runs releases them at once.
    /// </summary>
    public TimeSpan PendingCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often (wall-clock) the Streamiz engine looks up the master data waiting events need and releases the chains
    /// whose master data arrived: the bound on how long a released event waits after its master data. Default 500 ms.
    /// </summary>
    public TimeSpan PendingReleaseInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a transient failure (schema registry unreachable) is retried in place before the task fails and its
    /// transaction aborts (the record is processed again after the restart, never dead-lettered). Default 60 s.
    /// </summary>
    public TimeSpan TransientRetryLimit { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How far in the future occurredAt may lie (edge clock skew). Default 5 minutes.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Decimals of base-unit quantities sent to the ERP (0–6). Default 3.</summary>
    public int QuantityScale { get; set; } = 3;

    /// <summary>Rounding of converted quantities. Default AwayFromZero (commercial rounding).</summary>
    public MidpointRounding Rounding { get; set; } = MidpointRounding.AwayFromZero;

    /// <summary>Checks every setting; returns one message per bad setting, naming it.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (DedupeRetention < TimeSpan.FromMinutes(1))
        {
            errors.Add("Pipeline:DedupeRetention (--dedupe-retention) must be at least 1 minute");
        }

        if (PendingTimeout <= TimeSpan.Zero)
        {
            errors.Add("Pipeline:PendingTimeout (--pending-timeout) must be positive");
        }

        if (DedupeSweepInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add("Pipeline:DedupeSweepInterval must be at least 10 ms");
        }

        if (PendingCheckInterval <= TimeSpan.Zero || PendingCheckInterval > PendingTimeout)
        {
            errors.Add("Pipeline:PendingCheckInterval must be positive and not longer than the pending timeout");
        }

        if (PendingReleaseInterval < TimeSpan.FromMilliseconds(10) || PendingReleaseInterval > PendingCheckInterval)
        {
            errors.Add("Pipeline:PendingReleaseInterval must be at least 10 ms and not longer than the pending check interval");
        }

        if (TransientRetryLimit < TimeSpan.Zero)
        {
            errors.Add("Pipeline:TransientRetryLimit must not be negative");
        }

        if (MaxClockSkew < TimeSpan.Zero)
        {
            errors.Add("Pipeline:MaxClockSkew (--max-clock-skew) must not be negative");
        }

        if (QuantityScale is < 0 or > 6)
        {
            errors.Add("Pipeline:QuantityScale (--quantity-scale) must be between 0 and 6");
        }

        if (!Enum.IsDefined(Rounding))
        {
            errors.Add("Pipeline:Rounding must be a MidpointRounding name (AwayFromZero, ToEven, …)");
        }

        return errors;
    }

    internal MappingOptions Mapping => new() { QuantityScale = QuantityScale, Rounding = Rounding };
}
