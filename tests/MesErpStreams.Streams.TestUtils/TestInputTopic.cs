using Confluent.Kafka;

namespace MesErpStreams.Streams.TestUtils;

/// <summary>Pipes records into one input (or global-table) topic of a <see cref="TopologyTestDriver"/>.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class TestInputTopic<TKey, TValue>
{
    private readonly TopologyTestDriver _driver;
    private readonly Serde<TKey> _keySerde;
    private readonly Serde<TValue> _valueSerde;

    internal TestInputTopic(TopologyTestDriver driver, string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde)
    {
        _driver = driver;
        Topic = topic;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    /// <summary>The topic name.</summary>
    public string Topic { get; }

    /// <summary>Serializes with the topic's serdes and processes the record (then commits).</summary>
    public void PipeInput(TKey key, TValue value, DateTimeOffset? timestamp = null, Headers? headers = null)
    {
        var k = TopologyTestDriver.Await(Serialize(_keySerde, key, MessageComponentType.Key, headers));
        var v = TopologyTestDriver.Await(Serialize(_valueSerde, value, MessageComponentType.Value, headers));
        _driver.PipeRaw(Topic, k, v, timestamp, headers);
    }

    /// <summary>Pipes several key/value pairs with the same timestamp.</summary>
    public void PipeInputs(IEnumerable<KeyValuePair<TKey, TValue>> records, DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var (key, value) in records)
        {
            PipeInput(key, value, timestamp);
        }
    }

    /// <summary>Pipes raw bytes (e.g. a poison record the serdes cannot read).</summary>
    public void PipeRawInput(byte[]? key, byte[]? value, DateTimeOffset? timestamp = null, Headers? headers = null) =>
        _driver.PipeRaw(Topic, key, value, timestamp, headers);

    private async Task<byte[]?> Serialize<T>(Serde<T> serde, T data, MessageComponentType component, Headers? headers)
    {
        var context = new SerializationContext(component, Topic, headers);
        if (serde.Serializer is { } sync)
        {
            return sync.Serialize(data, context);
        }

        return serde.AsyncSerializer is { } async
            ? await async.SerializeAsync(data, context)
            : throw new InvalidOperationException($"the serde for {Topic} has no serializer");
    }
}
