using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MesErpStreams.Cli.Run;

/// <summary>
/// Listens to the pipeline's and the sink's instruments in-process for <c>meserp run</c>'s live and final summary:
/// counters summed by (instrument, selected tag), and a bounded sample of end-to-end latencies for percentiles.
/// </summary>
internal sealed class RunMetrics : IDisposable
{
    private const int MaxLatencySamples = 200_000;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly List<double> _latencies = [];
    private readonly object _latencyGate = new();

    public RunMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is "MesErpStreams.Pipeline" or "MesErpStreams.Sink")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.Start();
    }

    public long Get(string instrument, string? tagValue = null) =>
        _counters.GetValueOrDefault(tagValue is null ? instrument : instrument + "|" + tagValue);

    public double LatencyPercentileMs(double p)
    {
        lock (_latencyGate)
        {
            if (_latencies.Count == 0)
            {
                return 0;
            }

            var sorted = _latencies.ToArray();
            Array.Sort(sorted);
            var index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
            return Math.Round(sorted[Math.Clamp(index, 0, sorted.Length - 1)] * 1000, 1);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument is not Counter<long>)
        {
            return;
        }

        _counters.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
        foreach (var tag in tags)
        {
            if (tag.Key is "outcome" or "reason" or "class")
            {
                _counters.AddOrUpdate(instrument.Name + "|" + tag.Value, value, (_, v) => v + value);
            }
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name != "meserp.sink.end_to_end.latency")
        {
            return;
        }

        lock (_latencyGate)
        {
            if (_latencies.Count < MaxLatencySamples)
            {
                _latencies.Add(value);
            }
            else
            {
                _latencies[Random.Shared.Next(MaxLatencySamples)] = value; // keep a uniform sample
            }
        }
    }
}
