namespace MesErpStreams.Streams.State;

/// <summary>
/// A writable, partition-scoped key-value store. Writes are buffered per transaction, logged to the store's changelog
/// topic inside the transaction and applied to local state only after the transaction commits.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public interface IKeyValueStore<TKey, TValue> : IReadOnlyKeyValueStore<TKey, TValue>
{
    /// <summary>Inserts or replaces the value of a key.</summary>
    void Put(TKey key, TValue value);

    /// <summary>Stores the value only if the key is absent; returns true if it was stored.</summary>
    bool PutIfAbsent(TKey key, TValue value);

    /// <summary>Removes a key; returns true if it was present.</summary>
    bool Delete(TKey key);
}
