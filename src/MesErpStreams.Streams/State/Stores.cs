namespace MesErpStreams.Streams.State;

/// <summary>Factory for state store builders.</summary>
public static class Stores
{
    /// <summary>An in-memory store (state must fit in memory; restored from its changelog on every assignment).</summary>
    public static StoreBuilder<TKey, TValue> InMemory<TKey, TValue>(string name, Serde<TKey> keySerde, Serde<TValue> valueSerde) =>
        new(name, persistent: false, keySerde, valueSerde);

    /// <summary>
    /// A persistent store in a local SQLite database (WAL mode) under the state directory, for state larger than
    /// memory. Committed writes are applied in one SQLite transaction per commit together with the changelog
    /// checkpoint, so a restart replays only the changelog records written since.
    /// </summary>
    public static StoreBuilder<TKey, TValue> Persistent<TKey, TValue>(string name, Serde<TKey> keySerde, Serde<TValue> valueSerde) =>
        new(name, persistent: true, keySerde, valueSerde);
}
