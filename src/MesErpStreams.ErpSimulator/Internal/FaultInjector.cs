namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>What the injector decided for one posting request before it reaches the ledger.</summary>
internal enum FaultDecision
{
    Proceed,
    Outage,
    OutageReset,
    Throttle,
    Error,
    Locked,
}

/// <summary>
/// Applies <see cref="FaultOptions"/> to posting requests. Counters (FailNext, LockNext, ThrottleNext, SlowNext) and the seeded
/// random generator live here under one lock, so sequential requests see a deterministic sequence of faults.
/// </summary>
internal sealed class FaultInjector(FaultOptions initial, TimeProvider time)
{
    private readonly Lock _lock = new();
    private FaultOptions _options = initial.Clone();
    private Random _random = new(initial.Seed);
    private long _windowStart;
    private int _windowCount;

    public FaultOptions Current
    {
        get
        {
            lock (_lock)
            {
                return _options.Clone();
            }
        }
    }

    /// <summary>Replaces the fault settings (and reseeds the random generator).</summary>
    public void Set(FaultOptions options)
    {
        options.Validate();
        lock (_lock)
        {
            _options = options.Clone();
            _random = new Random(options.Seed);
        }
    }

    /// <summary>Decides the fate of one request and the latency to add before answering it.</summary>
    public (FaultDecision Decision, TimeSpan Latency, FaultOptions Snapshot) Decide()
    {
        lock (_lock)
        {
            var o = _options;
            if (o.Outage)
            {
                return (o.OutageResetsConnection ? FaultDecision.OutageReset : FaultDecision.Outage, TimeSpan.Zero, o.Clone());
            }

            if (IsThrottled(o))
            {
                return (FaultDecision.Throttle, TimeSpan.Zero, o.Clone());
            }

            var latency = TimeSpan.FromMilliseconds(o.LatencyMs + (o.LatencyJitterMs > 0 ? _random.Next(o.LatencyJitterMs + 1) : 0));
            if (o.FailNext > 0)
            {
                o.FailNext--;
                return (FaultDecision.Error, latency, o.Clone());
            }

            if (o.LockNext > 0)
            {
                o.LockNext--;
                return (FaultDecision.Locked, latency, o.Clone());
            }

            var error = o.ErrorRate > 0 && _random.NextDouble() < o.ErrorRate;
            return (error ? FaultDecision.Error : FaultDecision.Proceed, latency, o.Clone());
        }
    }

    /// <summary>After a posting: how long to hold the response back (zero = answer now).</summary>
    public TimeSpan SlowResponseDelay()
    {
        lock (_lock)
        {
            var o = _options;
            if (o.SlowNext > 0)
            {
                o.SlowNext--;
                return TimeSpan.FromMilliseconds(o.SlowResponseDelayMs);
            }

            return o.SlowResponseRate > 0 && _random.NextDouble() < o.SlowResponseRate
                ? TimeSpan.FromMilliseconds(o.SlowResponseDelayMs)
                : TimeSpan.Zero;
        }
    }

    private bool IsThrottled(FaultOptions o)
    {
        if (o.ThrottleNext > 0)
        {
            o.ThrottleNext--;
            return true;
        }

        if (o.MaxRequestsPerSecond > 0)
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
            {
                _windowStart = now;
                _windowCount = 0;
            }

            if (++_windowCount > o.MaxRequestsPerSecond)
            {
                return true;
            }
        }

        return o.ThrottleRate > 0 && _random.NextDouble() < o.ThrottleRate;
    }
}

/// <summary>Answers of injected faults.</summary>
internal static class Faults
{
    /// <summary>The body of an injected lock (HTTP 423).</summary>
    public static readonly ErrorResponse Locked = new("locked", "order locked by another user");
}
