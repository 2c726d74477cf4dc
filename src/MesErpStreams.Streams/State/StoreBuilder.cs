using MesErpStreams.Streams.Internal;

namespace MesErpStreams.Streams.State;

/// <summary>
/// Describes a key-value store to add to a topology (create with <see cref="Stores"/>). Defaults: change-logged to
/// <c>{applicationId}-{name}-changelog</c>, no retention.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class StoreBuilder<TKey, TValue>
{
    internal StoreBuilder(string name, bool persistent, Serde<TKey> keySerde, Serde<TValue> valueSerde)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(keySerde);
        ArgumentNullException.ThrowIfNull(valueSerde);
        if (!keySerde.IsSynchronous || !valueSerde.IsSynchronous)
        {
            throw new ArgumentException($"store '{name}' needs synchronous key and value serdes (serializer and deserializer)");
        }

        Name = name;
        Persistent = persistent;
        KeySerde = keySerde;
        ValueSerde = valueSerde;
    }

    /// <summary>The store name.</summary>
    public string Name { get; }

    /// <summary>True for the SQLite-backed store, false for the in-memory one.</summary>
    public bool Persistent { get; }

    /// <summary>True (default) when writes are logged to the changelog topic and restored from it.</summary>
    public bool Logged { get; private set; } = true;

    /// <summary>Entries older than this (by stream time) are invisible and purged; null (default) keeps entries forever.</summary>
    public TimeSpan? Retention { get; private set; }

    /// <summary>How often (stream time) expired entries are purged; default a tenth of the retention, at least one second.</summary>
    public TimeSpan PurgeInterval { get; private set; }

    internal Serde<TKey> KeySerde { get; }

    internal Serde<TValue> ValueSerde { get; }

    /// <summary>
    /// Gives entries a time to live: an entry written by a record with timestamp <c>t</c> expires once the task's
    /// stream time passes <c>t + retention</c>; a stream-time punctuation deletes expired entries (logging tombstones).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Non-positive retention or purge interval.</exception>
    public StoreBuilder<TKey, TValue> WithRetention(TimeSpan retention, TimeSpan? purgeInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        var interval = purgeInterval ?? TimeSpan.FromTicks(Math.Max(retention.Ticks / 10, TimeSpan.TicksPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(purgeInterval));
        Retention = retention;
        PurgeInterval = interval;
        return this;
    }

    /// <summary>Disables the changelog: the store starts empty on every assignment (only for caches you can rebuild).</summary>
    public StoreBuilder<TKey, TValue> WithoutChangelog()
    {
        Logged = false;
        return this;
    }

    internal StoreDefinition ToDefinition() => new StoreDefinition<TKey, TValue>(this);
}
