using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MesErpStreams.Observability.Internal;

/// <summary>One enabled instrument: its Prometheus identity and its cells keyed by tag set.</summary>
internal sealed class InstrumentState
{
    private readonly ConcurrentDictionary<int, MetricCell> _cells = new();
    private readonly Lock _gate = new();
    private readonly int _maxSeries;
    private MetricCell? _overflow;
    private int _count;

    public InstrumentState(Instrument instrument, MetricKind kind, bool observable, double[]? bounds, int maxSeries)
    {
        Instrument = instrument;
        Kind = kind;
        Observable = observable;
        Bounds = bounds;
        _maxSeries = maxSeries;
        Name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, kind);
        Help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    /// <summary>Observable instruments report on collection; their series not reported in the latest collection are stale.</summary>
    public bool Observable { get; }

    public double[]? Bounds { get; }

    /// <summary>Synchronous up-down counter: measurements are deltas added to the cell.</summary>
    public bool Additive { get; init; }

    public string Name { get; }

    public string Help { get; }

    public IEnumerable<MetricCell> Cells
    {
        get
        {
            foreach (var head in _cells.Values)
            {
                for (var c = head; c is not null; c = c.Next)
                {
                    yield return c;
                }
            }

            if (Volatile.Read(ref _overflow) is { } overflow)
            {
                yield return overflow;
            }
        }
    }

    /// <summary>
    /// Drops series of an observable instrument not reported in <paramref name="generation"/> (e.g. a revoked partition),
    /// so churn does not grow memory. Called by the collector after reading the observables, never concurrently with them.
    /// </summary>
    public void RemoveStale(long generation)
    {
        lock (_gate)
        {
            foreach (var (hash, head) in _cells)
            {
                MetricCell? kept = null;
                MetricCell? tail = null;
                for (var c = head; c is not null;)
                {
                    var next = c.Next;
                    if (c.Generation == generation)
                    {
                        c.Next = null;
                        if (tail is null)
                        {
                            kept = c;
                        }
                        else
                        {
                            tail.Next = c;
                        }

                        tail = c;
                    }
                    else
                    {
                        _count--;
                    }

                    c = next;
                }

                if (kept is null)
                {
                    _cells.TryRemove(hash, out _);
                }
                else
                {
                    _cells[hash] = kept;
                }
            }
        }
    }

    public MetricCell GetCell(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = MetricCell.HashOf(tags);
        if (_cells.TryGetValue(hash, out var head))
        {
            for (var c = head; c is not null; c = c.Next)
            {
                if (c.Matches(tags))
                {
                    return c;
                }
            }
        }

        return Create(tags, hash);
    }

    private MetricCell Create(ReadOnlySpan<KeyValuePair<string, object?>> tags, int hash)
    {
        lock (_gate)
        {
            _cells.TryGetValue(hash, out var head);
            for (var c = head; c is not null; c = c.Next)
            {
                if (c.Matches(tags))
                {
                    return c;
                }
            }

            if (_count >= _maxSeries)
            {
                return _overflow ??= new MetricCell([], 0, Bounds?.Length ?? 0, "otel_metric_overflow=\"true\"");
            }

            var cell = new MetricCell(tags, hash, Bounds?.Length ?? 0) { Next = head };
            _cells[hash] = cell;
            _count++;
            return cell;
        }
    }
}
