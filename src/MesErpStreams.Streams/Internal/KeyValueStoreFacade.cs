using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Confluent.Kafka;
using MesErpStreams.Streams.State;

namespace MesErpStreams.Streams.Internal;

/// <summary>Typed view over a <see cref="StoreCache"/>; retention stores prefix values with an 8-byte write timestamp.</summary>
internal sealed class KeyValueStoreFacade<TKey, TValue> : IKeyValueStore<TKey, TValue>, IPurgeable
{
    private readonly StoreCache _cache;
    private readonly Serde<TKey> _keySerde;
    private readonly Serde<TValue> _valueSerde;
    private readonly ITaskClock _clock;
    private readonly long _retentionMs;
    private readonly SerializationContext _keyContext;
    private readonly SerializationContext _valueContext;

    public KeyValueStoreFacade(StoreCache cache, Serde<TKey> keySerde, Serde<TValue> valueSerde, ITaskClock clock, TimeSpan? retention)
    {
        _cache = cache;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
        _clock = clock;
        _retentionMs = retention is { } r ? (long)r.TotalMilliseconds : 0;
        _keyContext = new SerializationContext(MessageComponentType.Key, cache.ChangelogTopic ?? cache.Name);
        _valueContext = new SerializationContext(MessageComponentType.Value, cache.ChangelogTopic ?? cache.Name);
    }

    public string Name => _cache.Name;

    public long ApproximateCount => _cache.ApproximateCount;

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_cache.TryGet(KeyBytes(key), out var bytes) && !Expired(bytes))
        {
            value = DecodeValue(bytes);
            return true;
        }

        value = default;
        return false;
    }

    public void Put(TKey key, TValue value) => _cache.Put(KeyBytes(key), EncodeValue(value));

    public bool PutIfAbsent(TKey key, TValue value)
    {
        var k = KeyBytes(key);
        if (_cache.TryGet(k, out var existing) && !Expired(existing))
        {
            return false;
        }

        _cache.Put(k, EncodeValue(value));
        return true;
    }

    public bool Delete(TKey key)
    {
        var k = KeyBytes(key);
        var present = _cache.TryGet(k, out var existing) && !Expired(existing);
        _cache.Put(k, null);
        return present;
    }

    public IEnumerable<KeyValuePair<TKey, TValue>> All()
    {
        foreach (var (key, value) in _cache.All())
        {
            if (!Expired(value))
            {
                yield return new(_keySerde.Deserialize(key, false, _keyContext), DecodeValue(value));
            }
        }
    }

    /// <summary>Deletes (and logs tombstones for) entries that expired by stream time.</summary>
    public int Purge()
    {
        if (_retentionMs == 0 || _clock.StreamTimeMs == long.MinValue)
        {
            return 0;
        }

        var cutoff = _clock.StreamTimeMs - _retentionMs;
        var purged = 0;
        foreach (var key in _cache.Inner.KeysOlderThan(cutoff, 100_000))
        {
            // A newer write in this transaction wins over the committed, expired entry.
            if (_cache.TryGet(key, out var current) && Expired(current))
            {
                _cache.Put(key, null);
                purged++;
            }
        }

        return purged;
    }

    private byte[] KeyBytes(TKey key) =>
        _keySerde.Serialize(key, _keyContext) ?? throw new InvalidOperationException($"store '{Name}': key serialized to null");

    private bool Expired(byte[] stored) =>
        _retentionMs != 0 && _clock.StreamTimeMs != long.MinValue
        && BinaryPrimitives.ReadInt64BigEndian(stored) < _clock.StreamTimeMs - _retentionMs;

    private byte[] EncodeValue(TValue value)
    {
        var bytes = _valueSerde.Serialize(value, _valueContext) ?? [];
        if (_retentionMs == 0)
        {
            return bytes;
        }

        var stamped = new byte[bytes.Length + 8];
        BinaryPrimitives.WriteInt64BigEndian(stamped, _clock.CurrentTimestampMs);
        bytes.CopyTo(stamped, 8);
        return stamped;
    }

    private TValue DecodeValue(byte[] stored) =>
        _retentionMs == 0
            ? _valueSerde.Deserialize(stored, false, _valueContext)
            : _valueSerde.Deserialize(stored.AsSpan(8), false, _valueContext);
}
