namespace MesErpStreams.Pipeline.Internal;

/// <summary>
/// A per-minute budget of log lines, so a flood (a master-data outage making thousands of events wait, a bad batch
/// dead-lettered) cannot drown the log or slow the stream thread: the first <see cref="PerMinute"/> lines of a
/// minute are written, the rest are counted and the count is reported with the next line written.
/// </summary>
internal sealed class LogBudget(int perMinute = LogBudget.DefaultPerMinute)
{
    /// <summary>Default lines per minute and task.</summary>
    public const int DefaultPerMinute = 20;

    private long _windowStartMs = long.MinValue;
    private int _written;
    private int _suppressed;

    public int PerMinute { get; } = perMinute;

    /// <summary>Whether a line may be written at <paramref name="nowMs"/>; <paramref name="suppressedBefore"/> is how many were dropped since the last one written.</summary>
    public bool TryTake(long nowMs, out int suppressedBefore)
    {
        if (nowMs - _windowStartMs >= 60_000)
        {
            _windowStartMs = nowMs;
            _written = 0;
        }

        if (_written < PerMinute)
        {
            _written++;
            suppressedBefore = _suppressed;
            _suppressed = 0;
            return true;
        }

        _suppressed++;
        suppressedBefore = 0;
        return false;
    }
}
