namespace MesErpStreams.Observability;

/// <summary>
/// How <see cref="MetricsEndpoint"/> exports System.Diagnostics.Metrics instruments through prometheus-net's meter
/// adapter: which meters, which histogram buckets, and how long a series that stops reporting stays published.
/// </summary>
/// <remarks>
/// Names are prometheus-net's: meter name and instrument name joined by <c>_</c>, lower case, every character
/// outside <c>[a-z0-9_]</c> replaced by <c>_</c>; units are not appended and there is no <c>_total</c>
/// (instrument <c>pending.wait</c> on meter <c>MesErpStreams.Pipeline</c> is
/// <c>meserpstreams_pipeline_pending_wait</c>). Counters are published as gauges holding the running sum, because
/// the adapter cannot know when a .NET counter is re-created; <c>rate()</c> and <c>increase()</c> work on them as on
/// any counter, including across a process restart.
/// </remarks>
public sealed class PrometheusExportOptions
{
    /// <summary>
    /// Bucket upper bounds for histograms whose unit is seconds (<c>s</c>): 0.5 ms to 1 hour, so per-record processing
    /// times (sub-millisecond), ERP calls (milliseconds to seconds) and waits for late master data (minutes) all fall
    /// into buckets of their own. prometheus-net adds <c>+Inf</c>.
    /// </summary>
    public static readonly IReadOnlyList<double> DefaultSecondsBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    /// <summary>The most prometheus-net's managed-lifetime metrics allow for <see cref="SeriesExpireAfter"/> and <see cref="ObservedSeriesExpireAfter"/>.</summary>
    public static readonly TimeSpan MaxExpireAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// Meter name prefixes to export. Default: <c>MesErpStreams.</c> (every meter of this product). A meter is exported
    /// when its name equals a prefix (without a trailing dot) or starts with it.
    /// </summary>
    public IList<string> MeterPrefixes { get; } = ["MesErpStreams."];

    /// <summary>
    /// Bucket upper bounds per instrument name (the System.Diagnostics.Metrics name, e.g. <c>erp.call.duration</c>).
    /// Without an entry: the instrument's own advice (<c>InstrumentAdvice.HistogramBucketBoundaries</c>), else
    /// <see cref="DefaultSecondsBuckets"/> for unit <c>s</c> (scaled by 1000 for <c>ms</c>), else prometheus-net's
    /// default (<c>MeterAdapterOptions.DefaultHistogramBuckets</c>: 0.01 doubling 25 times).
    /// </summary>
    public IDictionary<string, IReadOnlyList<double>> HistogramBuckets { get; } = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);

    /// <summary>
    /// How long a series of a synchronous instrument (counter, up-down counter, histogram) stays published after its
    /// last measurement. Default and maximum 1 day: a counter idle that long disappears and starts again from 0 with
    /// its next increment, which <c>rate()</c> and <c>increase()</c> read as a counter reset.
    /// </summary>
    public TimeSpan SeriesExpireAfter { get; set; } = MaxExpireAfter;

    /// <summary>
    /// How long a series of an observable instrument (observable gauge or counter, read at each scrape) stays
    /// published after its callback last reported it, e.g. the lag of a partition the consumer no longer owns.
    /// Default 1 minute; removal happens within one to two times this span. Every scrape reads the callbacks first,
    /// so a short span never hides a series that is still reported.
    /// </summary>
    public TimeSpan ObservedSeriesExpireAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A prefix is empty, buckets are not strictly increasing finite numbers, or an expiry is outside (0, 1 day].</exception>
    public void Validate()
    {
        if (MeterPrefixes.Count == 0 || MeterPrefixes.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("meter prefixes must be given and not empty", nameof(MeterPrefixes));
        }

        foreach (var (name, bounds) in HistogramBuckets)
        {
            for (var i = 0; i < bounds.Count; i++)
            {
                if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
                {
                    throw new ArgumentException($"histogram buckets of '{name}' must be finite and strictly increasing", nameof(HistogramBuckets));
                }
            }
        }

        CheckExpiry(SeriesExpireAfter, nameof(SeriesExpireAfter));
        CheckExpiry(ObservedSeriesExpireAfter, nameof(ObservedSeriesExpireAfter));
    }

    /// <summary>Whether a meter of this name is exported.</summary>
    internal bool Selects(string meterName) =>
        MeterPrefixes.Any(p => meterName == p.TrimEnd('.') || meterName.StartsWith(p, StringComparison.Ordinal));

    private static void CheckExpiry(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value > MaxExpireAfter)
        {
            throw new ArgumentException($"{name} must be more than 0 and at most {MaxExpireAfter}, got {value}", name);
        }
    }
}
