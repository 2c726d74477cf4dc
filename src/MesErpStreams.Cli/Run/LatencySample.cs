namespace MesErpStreams.Cli.Run;

/// <summary>
/// A bounded, uniform sample of one latency distribution (reservoir sampling, Vitter's algorithm R) and its
/// nearest-rank percentiles. <c>meserp run</c> keeps one per sink histogram; the pipeline benchmark uses it for the
/// latencies it computes from the ERP ledger, so both report percentiles the same way. Thread-safe.
/// </summary>
public sealed class LatencySample
{
    /// <summary>Default bound of the sample: 200,000 values (1.6 MB), enough for p99 of any run.</summary>
    public const int DefaultCapacity = 200_000;

    private readonly List<double> _values = [];
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly int _capacity;
    private long _seen;

    /// <summary>Creates an empty sample.</summary>
    /// <param name="capacity">Values kept at most (default <see cref="DefaultCapacity"/>).</param>
    /// <param name="random">Source of the replacement draws (default: a new unseeded <see cref="Random"/>); seed it in tests.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public LatencySample(int capacity = DefaultCapacity, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _random = random ?? new Random();
    }

    /// <summary>Values offered so far (kept or not).</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _seen;
            }
        }
    }

    /// <summary>
    /// Offers one value. Once the sample is full, the n-th value replaces a random kept one with probability
    /// capacity/n, so every value offered so far is in the sample with the same probability (a plain "replace a random
    /// slot" would keep mostly the newest values and report the end of a run as the whole run).
    /// </summary>
    /// <param name="value">The value (any unit; <see cref="PercentileMs"/> assumes seconds).</param>
    public void Add(double value)
    {
        lock (_gate)
        {
            _seen++;
            if (_values.Count < _capacity)
            {
                _values.Add(value);
                return;
            }

            var slot = _random.NextInt64(_seen);
            if (slot < _capacity)
            {
                _values[(int)slot] = value;
            }
        }
    }

    /// <summary>
    /// The <paramref name="percentile"/>-th percentile by nearest rank (the smallest kept value with at least that share
    /// of values at or below it), in milliseconds for values in seconds, rounded to 0.1 ms; null when nothing was offered.
    /// </summary>
    /// <param name="percentile">0 &lt; p ≤ 100.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percentile"/> is outside (0, 100].</exception>
    public double? PercentileMs(double percentile)
    {
        if (percentile is <= 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "must be in (0, 100]");
        }

        double[] sorted;
        lock (_gate)
        {
            if (_values.Count == 0)
            {
                return null;
            }

            sorted = [.. _values];
        }

        Array.Sort(sorted);
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return Math.Round(sorted[Math.Clamp(index, 0, sorted.Length - 1)] * 1000, 1);
    }
}
