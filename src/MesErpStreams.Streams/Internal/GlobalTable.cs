using System.Diagnostics.CodeAnalysis;
using Confluent.Kafka;
using MesErpStreams.Streams.State;

namespace MesErpStreams.Streams.Internal;

/// <summary>A global table: the whole (compacted) topic held in memory, typed, read by every task.</summary>
internal abstract class GlobalTable(string storeName, string topic)
{
    public string StoreName { get; } = storeName;

    public string Topic { get; } = topic;

    public abstract long Count { get; }

    /// <summary>Applies one topic record; when <paramref name="notify"/>, tells subscribers on their tasks.</summary>
    public abstract ValueTask ApplyAsync(ConsumeResult<byte[], byte[]> raw, bool notify);

    public abstract void RemoveSubscriptionsOf(StreamTask task);
}

internal sealed class GlobalTable<TKey, TValue>(string storeName, string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde)
    : GlobalTable(storeName, topic), IReadOnlyKeyValueStore<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _map = [];
    private readonly List<Subscription> _subscribers = [];

    public string Name => StoreName;

    public override long Count => _map.Count;

    public long ApproximateCount => _map.Count;

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => _map.TryGetValue(key, out value);

    public IEnumerable<KeyValuePair<TKey, TValue>> All() => _map;

    public override async ValueTask ApplyAsync(ConsumeResult<byte[], byte[]> raw, bool notify)
    {
        var m = raw.Message;
        if (m.Key is null)
        {
            return;
        }

        var key = await keySerde.DeserializeAsync(m.Key, new SerializationContext(MessageComponentType.Key, Topic, m.Headers));
        if (key is null)
        {
            return;
        }

        TValue? value = default;
        if (m.Value is null)
        {
            _map.Remove(key);
        }
        else
        {
            value = await valueSerde.DeserializeAsync(m.Value, new SerializationContext(MessageComponentType.Value, Topic, m.Headers));
            _map[key] = value;
        }

        if (!notify)
        {
            return;
        }

        foreach (var sub in _subscribers.ToArray())
        {
            if (!sub.Cancelled)
            {
                await sub.Task.RunCallbackAsync(sub.Node, () => sub.OnChange(key, value));
            }
        }
    }

    public IDisposable Subscribe(StreamTask task, string node, Action<TKey, TValue?> onChange)
    {
        var sub = new Subscription(task, node, onChange, _subscribers);
        _subscribers.Add(sub);
        return sub;
    }

    public override void RemoveSubscriptionsOf(StreamTask task) => _subscribers.RemoveAll(s => s.Task == task);

    private sealed class Subscription(StreamTask task, string node, Action<TKey, TValue?> onChange, List<Subscription> owner) : IDisposable
    {
        public StreamTask Task { get; } = task;

        public string Node { get; } = node;

        public Action<TKey, TValue?> OnChange { get; } = onChange;

        public bool Cancelled { get; private set; }

        public void Dispose()
        {
            Cancelled = true;
            owner.Remove(this);
        }
    }
}
