using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MesErpStreams.Cli.Run;

/// <summary>
/// Listens to the pipeline's and the sink's instruments in-process for <c>meserp run</c>'s live and final summary:
/// counters summed by (instrument, selected tag), and a bounded uniform sample of each latency histogram for
/// percentiles. Histograms are read by name only, so one the sink does not (yet) record simply has no samples.
/// </summary>
internal sealed class RunMetrics : IDisposable
{
    /// <summary>Histogram (s): event accepted at the edge → ERP acknowledged (until the sink changes it: command created → acknowledged).</summary>
    public const string EndToEndLatency = "meserp.sink.end_to_end.latency";

    /// <summary>Histogram (s): ERP command created by the processor → ERP acknowledged.</summary>
    public const string CommandToAckLatency = "meserp.sink.command_to_ack.latency";

    /// <summary>Histogram (s): the MES event's occurredAt → ERP acknowledged.</summary>
    public const string OccurredToAckLatency = "meserp.sink.occurred_to_ack.latency";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LatencySample> _histograms;

    /// <summary>Starts listening.</summary>
    /// <param name="sampleCapacity">Values kept per histogram.</param>
    /// <param name="seed">Seed of the samples' replacement draws (tests); unseeded when null.</param>
    public RunMetrics(int sampleCapacity = LatencySample.DefaultCapacity, int? seed = null)
    {
        // One Random per sample: each is used under its own sample's lock only.
        EndToEnd = new LatencySample(sampleCapacity, seed is { } s1 ? new Random(s1) : null);
        CommandToAck = new LatencySample(sampleCapacity, seed is { } s2 ? new Random(s2 + 1) : null);
        OccurredToAck = new LatencySample(sampleCapacity, seed is { } s3 ? new Random(s3 + 2) : null);
        _histograms = new Dictionary<string, LatencySample>(StringComparer.Ordinal)
        {
            [EndToEndLatency] = EndToEnd, [CommandToAckLatency] = CommandToAck, [OccurredToAckLatency] = OccurredToAck,
        };
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is not ("MesErpStreams.Pipeline" or "MesErpStreams.Sink"))
            {
                return;
            }

            if (instrument is Counter<long>)
            {
                listener.EnableMeasurementEvents(instrument);
            }
            else if (instrument is Histogram<double> && _histograms.TryGetValue(instrument.Name, out var sample))
            {
                // The sample travels as the measurement state: no lookup per measurement.
                listener.EnableMeasurementEvents(instrument, sample);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnCounter);
        _listener.SetMeasurementEventCallback<double>(static (_, value, _, state) => ((LatencySample)state!).Add(value));
        _listener.Start();
    }

    /// <summary>Samples of <see cref="EndToEndLatency"/>.</summary>
    public LatencySample EndToEnd { get; }

    /// <summary>Samples of <see cref="CommandToAckLatency"/>.</summary>
    public LatencySample CommandToAck { get; }

    /// <summary>Samples of <see cref="OccurredToAckLatency"/>.</summary>
    public LatencySample OccurredToAck { get; }

    public long Get(string instrument, string? tagValue = null) =>
        _counters.GetValueOrDefault(tagValue is null ? instrument : instrument + "|" + tagValue);

    public void Dispose() => _listener.Dispose();

    private void OnCounter(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        _counters.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
        foreach (var tag in tags)
        {
            if (tag.Key is "outcome" or "reason" or "class")
            {
                _counters.AddOrUpdate(instrument.Name + "|" + tag.Value, value, (_, v) => v + value);
            }
        }
    }
}
