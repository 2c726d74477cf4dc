using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MesErpStreams.Sink.IntegrationTests;

/// <summary>Collects the sink's measurements (name + tags) while alive.</summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();

    public MetricsCollector()
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == SinkTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    public ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> Measurements { get; } = new();

    public double Sum(string name, string? tag = null, object? value = null) =>
        Measurements.Where(m => m.Name == name && (tag is null || Equals(m.Tags.GetValueOrDefault(tag)?.ToString(), value?.ToString()))).Sum(m => m.Value);

    public int Count(string name) => Measurements.Count(m => m.Name == name);

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var d = new Dictionary<string, object?>();
        foreach (var t in tags)
        {
            d[t.Key] = t.Value;
        }

        Measurements.Enqueue((i.Name, v, d));
    }
}
