namespace MesErpStreams.Streams.Internal;

/// <summary>Times a task exposes to its stores (Unix milliseconds; <see cref="long.MinValue"/> before the first record).</summary>
internal interface ITaskClock
{
    /// <summary>Timestamp of the record being processed, or stream time inside punctuation.</summary>
    long CurrentTimestampMs { get; }

    long StreamTimeMs { get; }
}

/// <summary>A store that can purge expired entries.</summary>
internal interface IPurgeable
{
    int Purge();
}
