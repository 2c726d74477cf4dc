namespace MesErpStreams.Streams;

/// <summary>What a processor can do besides returning: forward records, use stores, schedule punctuation.</summary>
/// <typeparam name="TKeyOut">Key type of forwarded records.</typeparam>
/// <typeparam name="TValueOut">Value type of forwarded records.</typeparam>
public interface IProcessorContext<TKeyOut, TValueOut>
{
    /// <summary>The application id (the consumer group id).</summary>
    string ApplicationId { get; }

    /// <summary>The task's partition number: the input partition (of every source topic) this processor instance owns.</summary>
    int TaskPartition { get; }

    /// <summary>Origin of the input record being processed; null inside punctuation and global-table callbacks.</summary>
    RecordOrigin? RecordOrigin { get; }

    /// <summary>The task's stream time: the largest record timestamp seen (<see cref="DateTimeOffset.MinValue"/> before the first record).</summary>
    DateTimeOffset StreamTime { get; }

    /// <summary>Wall-clock time from the runtime's <see cref="TimeProvider"/>.</summary>
    DateTimeOffset WallClockTime { get; }

    /// <summary>Forwards a record to all child nodes (processors or sinks).</summary>
    void Forward(Record<TKeyOut, TValueOut> record);

    /// <summary>Forwards a record to one named child node.</summary>
    /// <exception cref="ArgumentException">No child with that name.</exception>
    void Forward(Record<TKeyOut, TValueOut> record, string childName);

    /// <summary>
    /// Gets a state store connected to this processor, or a global table's read-only store, e.g.
    /// <c>GetStateStore&lt;IKeyValueStore&lt;string, long&gt;&gt;("dedupe")</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store is not connected to this processor or has other types.</exception>
    TStore GetStateStore<TStore>(string name)
        where TStore : class;

    /// <summary>
    /// Schedules <paramref name="callback"/> every <paramref name="interval"/> of stream or wall-clock time. The
    /// callback receives the punctuation time, runs on the stream thread inside the current transaction and may
    /// forward and write stores. Dispose the result to cancel.
    /// </summary>
    IDisposable Schedule(TimeSpan interval, PunctuationType type, Action<DateTimeOffset> callback);

    /// <summary>
    /// Calls <paramref name="onChange"/> whenever a key of global table <paramref name="storeName"/> changes while
    /// running (value null when deleted). Runs on the stream thread inside the current transaction, so it may forward
    /// and write stores. Changes applied while bootstrapping are not reported. Dispose the result to unsubscribe.
    /// </summary>
    IDisposable SubscribeToGlobalTable<TKey, TValue>(string storeName, Action<TKey, TValue?> onChange)
        where TKey : notnull;

    /// <summary>Asks the runtime to commit as soon as the current record is done.</summary>
    void RequestCommit();
}
