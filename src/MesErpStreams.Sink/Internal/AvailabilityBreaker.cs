namespace MesErpStreams.Sink.Internal;

/// <summary>
/// Whether the ERP is available, from the outcomes of whole calls: <see cref="ErpSinkOptions.BreakerConsecutiveFailures"/>
/// calls in a row that found it unavailable (every posting of the call 5xx, timed out, refused or unauthorised) open
/// it, whatever the traffic: a quiet plant's one posting retried in place trips it as surely as a busy plant's
/// hundred. While open, one probe call per <see cref="ErpSinkOptions.BreakerBreakDuration"/> goes out; the first call
/// that gets an answer closes it. Thread-safe; time from the injected clock.
/// </summary>
internal sealed class AvailabilityBreaker(int consecutiveFailures, TimeSpan breakDuration, TimeProvider time)
{
    private readonly Lock _lock = new();
    private int _consecutive;
    private BreakerState _state;
    private DateTimeOffset _openedAt;
    private DateTimeOffset? _unavailableSince;
    private long _answered;

    public BreakerState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>The first unavailable call of the current run of them; null while the ERP answers.</summary>
    public DateTimeOffset? UnavailableSince
    {
        get
        {
            lock (_lock)
            {
                return _unavailableSince;
            }
        }
    }

    /// <summary>Calls the ERP answered so far (posted, duplicate or rejected: anything but unavailable).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Asks to make a call now. Open: only a probe per break duration; half-open: none while the probe is out.</summary>
    /// <param name="wait">When refused: how long to wait before asking again.</param>
    /// <param name="probe">When allowed as the probe of an open breaker: report it with <see cref="Record"/> or <see cref="Abandon"/>.</param>
    public bool TryEnter(out TimeSpan wait, out bool probe)
    {
        probe = false;
        lock (_lock)
        {
            switch (_state)
            {
                case BreakerState.Closed:
                    wait = TimeSpan.Zero;
                    return true;
                case BreakerState.Open:
                    var left = _openedAt + breakDuration - time.GetUtcNow();
                    if (left <= TimeSpan.Zero)
                    {
                        _state = BreakerState.HalfOpen;
                        probe = true;
                        wait = TimeSpan.Zero;
                        return true;
                    }

                    wait = left;
                    return false;
                default:
                    wait = TimeSpan.FromMilliseconds(100); // the probe is out: ask again shortly
                    return false;
            }
        }
    }

    /// <summary>Reports a call's outcome: <paramref name="unavailable"/> when the ERP was unavailable for all of it.</summary>
    /// <returns>True when this outcome opened the breaker.</returns>
    public bool Record(bool unavailable)
    {
        lock (_lock)
        {
            if (!unavailable)
            {
                _consecutive = 0;
                _unavailableSince = null;
                _state = BreakerState.Closed;
                Interlocked.Increment(ref _answered);
                return false;
            }

            var now = time.GetUtcNow();
            _unavailableSince ??= now;
            _consecutive++;
            if (_state == BreakerState.HalfOpen || (_state == BreakerState.Closed && _consecutive >= consecutiveFailures))
            {
                var opened = _state == BreakerState.Closed;
                _state = BreakerState.Open;
                _openedAt = now;
                return opened;
            }

            return false;
        }
    }

    /// <summary>A probe that was let through but not made (its caller was cancelled): let another caller probe.</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            if (_state == BreakerState.HalfOpen)
            {
                _state = BreakerState.Open;
                _openedAt = time.GetUtcNow() - breakDuration;
            }
        }
    }
}

/// <summary>State of the <see cref="AvailabilityBreaker"/> (the <c>meserp.sink.circuit.state</c> gauge's values).</summary>
internal enum BreakerState
{
    /// <summary>Calls go out.</summary>
    Closed = 0,

    /// <summary>One probe call is out.</summary>
    HalfOpen = 1,

    /// <summary>Calls wait for the next probe.</summary>
    Open = 2,
}
