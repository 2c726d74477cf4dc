namespace MesErpStreams.Streams.Internal;

/// <summary>
/// Committed local state of one store partition, as bytes. Only ever changed with committed data (after a
/// transaction commits, or while restoring from the changelog), so it never holds aborted writes.
/// </summary>
internal interface IBytesStore : IDisposable
{
    /// <summary>Next changelog offset to restore from; null restores from the beginning.</summary>
    long? CheckpointOffset { get; }

    long Count { get; }

    bool TryGet(byte[] key, out byte[] value);

    IEnumerable<KeyValuePair<byte[], byte[]>> All();

    /// <summary>Keys whose entry timestamp (retention stores) is below <paramref name="cutoffMs"/>.</summary>
    IReadOnlyList<byte[]> KeysOlderThan(long cutoffMs, int max);

    /// <summary>Applies puts (non-null) and deletes (null) atomically together with a new checkpoint.</summary>
    void Apply(IEnumerable<KeyValuePair<byte[], byte[]?>> batch, long? checkpointOffset);

    /// <summary>Drops all state (the changelog lost records this store depends on).</summary>
    void Clear();
}
