namespace MesErpStreams.Streams;

/// <summary>Which clock drives a punctuation.</summary>
public enum PunctuationType
{
    /// <summary>
    /// Stream time: the largest record timestamp the task has seen. Fires only when records advance it, so it is
    /// deterministic under replay.
    /// </summary>
    StreamTime,

    /// <summary>Wall-clock time from the injected <see cref="TimeProvider"/>; fires even when no records arrive.</summary>
    WallClockTime,
}
