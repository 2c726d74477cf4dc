namespace MesErpStreams.Observability;

/// <summary>Options of <see cref="PrometheusExporter"/>.</summary>
public sealed class PrometheusExporterOptions
{
    /// <summary>Bucket bounds used for histograms whose unit is seconds (<c>s</c>): 0.5 ms to 5 min.</summary>
    public static readonly IReadOnlyList<double> DefaultSecondsBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>Bucket bounds for histograms of any other unit (OpenTelemetry's defaults).</summary>
    public static readonly IReadOnlyList<double> DefaultBuckets =
        [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>
    /// Meter name prefixes to export. Default: <c>MesErpStreams.</c> (every meter of this product). A meter is exported
    /// when its name equals a prefix or starts with it.
    /// </summary>
    public IList<string> MeterPrefixes { get; } = ["MesErpStreams."];

    /// <summary>
    /// Bucket bounds per instrument name (the System.Diagnostics.Metrics name, e.g. <c>meserp.sink.erp.call.duration</c>).
    /// Without an entry: the instrument's own advice (<c>InstrumentAdvice.HistogramBucketBoundaries</c>), else
    /// <see cref="DefaultSecondsBuckets"/> for unit <c>s</c>, else <see cref="DefaultBuckets"/>.
    /// </summary>
    public IDictionary<string, IReadOnlyList<double>> HistogramBuckets { get; } = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);

    /// <summary>
    /// Maximum label sets (series) per instrument; measurements with further tag sets are added to one overflow series
    /// labelled <c>otel_metric_overflow="true"</c>, so a label explosion cannot exhaust memory. Default 2000.
    /// </summary>
    public int MaxSeriesPerInstrument { get; set; } = 2000;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A prefix is empty, buckets are not strictly increasing finite numbers, or the series cap is below 1.</exception>
    public void Validate()
    {
        if (MeterPrefixes.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("meter prefixes must not be empty", nameof(MeterPrefixes));
        }

        if (MaxSeriesPerInstrument < 1)
        {
            throw new ArgumentException("MaxSeriesPerInstrument must be at least 1", nameof(MaxSeriesPerInstrument));
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
    }
}
