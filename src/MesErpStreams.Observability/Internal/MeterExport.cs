using System.Diagnostics.Metrics;
using Prometheus;

namespace MesErpStreams.Observability.Internal;

/// <summary>
/// A prometheus-net registry of its own fed by two meter adapters over the selected meters: one for synchronous
/// instruments (series kept for <see cref="PrometheusExportOptions.SeriesExpireAfter"/>), one for observable
/// instruments (kept for <see cref="PrometheusExportOptions.ObservedSeriesExpireAfter"/>, so a series its callback no
/// longer reports goes away). The default registry and its process metrics are not used: only the product's meters
/// are served, as before.
/// </summary>
internal sealed class MeterExport : IDisposable
{
    private readonly IDisposable _synchronous;
    private readonly IDisposable _observed;

    public MeterExport(PrometheusExportOptions options)
    {
        Registry = Metrics.NewCustomRegistry();
        var buckets = new HistogramBucketResolver(options);
        // MeterAdapterOptions.MetricFactory defaults to the default registry's factory and then wins over Registry:
        // both must name ours, or the series land in a registry nobody serves.
        var factory = Metrics.WithCustomRegistry(Registry);
        _synchronous = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = factory,
            InstrumentFilterPredicate = i => !i.IsObservable && options.Selects(i.Meter.Name),
            MetricsExpireAfter = options.SeriesExpireAfter,
            ResolveHistogramBuckets = buckets.Resolve,
        });
        _observed = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = factory,
            InstrumentFilterPredicate = i => i.IsObservable && options.Selects(i.Meter.Name),
            MetricsExpireAfter = options.ObservedSeriesExpireAfter,
            ResolveHistogramBuckets = buckets.Resolve,
        });
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    public void Dispose()
    {
        _synchronous.Dispose();
        _observed.Dispose();
    }

    /// <summary>Bucket bounds per histogram: configured, else the instrument's advice, else by unit.</summary>
    private sealed class HistogramBucketResolver(PrometheusExportOptions options)
    {
        private static readonly double[] Seconds = [.. PrometheusExportOptions.DefaultSecondsBuckets];
        private static readonly double[] Milliseconds = [.. PrometheusExportOptions.DefaultSecondsBuckets.Select(b => b * 1000)];

        public double[] Resolve(Instrument instrument)
        {
            if (options.HistogramBuckets.TryGetValue(instrument.Name, out var configured))
            {
                return [.. configured];
            }

            var advice = instrument switch
            {
                Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
                Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                _ => null,
            };
            if (advice is { Length: > 0 })
            {
                return advice;
            }

            return instrument.Unit switch
            {
                "s" => Seconds,
                "ms" => Milliseconds,
                _ => MeterAdapterOptions.DefaultHistogramBuckets,
            };
        }
    }
}
