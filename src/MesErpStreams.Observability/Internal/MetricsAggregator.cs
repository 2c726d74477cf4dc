using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MesErpStreams.Observability.Internal;

/// <summary>
/// Listens to the selected meters and aggregates every measurement into a pre-allocated cell of its instrument
/// (cumulative sums, last values, bucket counts). Measurement callbacks only look up the cell and update it atomically.
/// </summary>
internal sealed class MetricsAggregator : IDisposable
{
    private readonly PrometheusExporterOptions _options;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private long _generation;

    public MetricsAggregator(PrometheusExporterOptions options)
    {
        _options = options;
        _listener.InstrumentPublished = OnPublished;
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<long>(static (i, v, t, s) => OnMeasurement(i, v, t, s));
        _listener.SetMeasurementEventCallback<double>(static (i, v, t, s) => OnMeasurement(i, v, t, s));
        _listener.SetMeasurementEventCallback<int>(static (i, v, t, s) => OnMeasurement(i, v, t, s));
        _listener.SetMeasurementEventCallback<float>(static (i, v, t, s) => OnMeasurement(i, v, t, s));
        _listener.SetMeasurementEventCallback<short>(static (i, v, t, s) => OnMeasurement(i, v, t, s));
        _listener.SetMeasurementEventCallback<byte>(static (i, v, t, s) => OnMeasurement(i, v, t, s));
        _listener.SetMeasurementEventCallback<decimal>(static (i, v, t, s) => OnMeasurement(i, (double)v, t, s));
        _listener.Start();
    }

    /// <summary>Generation of the latest collection; observable series carry the generation they were last seen in.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Reads the observable instruments and returns a snapshot list of the instruments.</summary>
    public IReadOnlyList<InstrumentState> Collect()
    {
        var generation = Interlocked.Increment(ref _generation);
        _listener.RecordObservableInstruments();
        var instruments = _instruments.Values.ToList();
        foreach (var state in instruments)
        {
            if (state.Observable)
            {
                state.RemoveStale(generation);
            }
        }

        return instruments;
    }

    public void Dispose() => _listener.Dispose();

    private static void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (state is not Binding binding)
        {
            return;
        }

        var s = binding.State;
        var cell = s.GetCell(tags);
        switch (s.Kind)
        {
            case MetricKind.Histogram:
                cell.Record(value, s.Bounds!);
                break;
            case MetricKind.Counter when !s.Observable:
                if (value > 0)
                {
                    cell.Add(value);
                }

                break;
            case MetricKind.Gauge when s.Additive:
                cell.Add(value);
                break;
            default:
                // Observable instruments report cumulative or current values; synchronous gauges report the latest value.
                cell.Set(value, binding.Owner.Generation);
                break;
        }
    }

    private void OnPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter.Name;
        if (!_options.MeterPrefixes.Any(p => meter == p.TrimEnd('.') || meter.StartsWith(p, StringComparison.Ordinal)))
        {
            return;
        }

        var (kind, observable) = Classify(instrument);
        var bounds = kind == MetricKind.Histogram ? BucketsFor(instrument) : null;
        var additive = instrument.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(UpDownCounter<>);
        var state = new InstrumentState(instrument, kind, observable, bounds, _options.MaxSeriesPerInstrument) { Additive = additive };
        _instruments[instrument] = state;
        listener.EnableMeasurementEvents(instrument, new Binding(this, state));
    }

    private static (MetricKind Kind, bool Observable) Classify(Instrument instrument)
    {
        var type = instrument.GetType();
        var def = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (def == typeof(Counter<>))
        {
            return (MetricKind.Counter, false);
        }

        if (def == typeof(ObservableCounter<>))
        {
            return (MetricKind.Counter, true);
        }

        if (def == typeof(Histogram<>))
        {
            return (MetricKind.Histogram, false);
        }

        return (MetricKind.Gauge, instrument.IsObservable);
    }

    private double[] BucketsFor(Instrument instrument)
    {
        if (_options.HistogramBuckets.TryGetValue(instrument.Name, out var configured))
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

        return instrument.Unit == "s" ? [.. PrometheusExporterOptions.DefaultSecondsBuckets] : [.. PrometheusExporterOptions.DefaultBuckets];
    }

    /// <summary>State object handed to the listener, so the measurement callback needs no lookup by instrument.</summary>
    private sealed record Binding(MetricsAggregator Owner, InstrumentState State);
}
