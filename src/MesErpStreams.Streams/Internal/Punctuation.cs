namespace MesErpStreams.Streams.Internal;

/// <summary>A scheduled punctuation of one task.</summary>
internal sealed class Punctuation(string node, long intervalMs, PunctuationType type, Action<DateTimeOffset> callback, List<Punctuation> owner) : IDisposable
{
    public string Node { get; } = node;

    public long IntervalMs { get; } = intervalMs;

    public PunctuationType Type { get; } = type;

    public Action<DateTimeOffset> Callback { get; } = callback;

    /// <summary>Next due time (Unix ms); long.MinValue until the clock is first seen.</summary>
    public long NextMs { get; set; } = long.MinValue;

    public bool Cancelled { get; private set; }

    public void Dispose()
    {
        Cancelled = true;
        owner.Remove(this);
    }
}
