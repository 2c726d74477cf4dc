using Confluent.Kafka;

namespace MesErpStreams.Streams.TestUtils;

/// <summary>Reads records a <see cref="TopologyTestDriver"/> wrote to one topic, deserialized with the topic's serdes.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class TestOutputTopic<TKey, TValue>
{
    private readonly TopologyTestDriver _driver;
    private readonly Serde<TKey> _keySerde;
    private readonly Serde<TValue> _valueSerde;

    internal TestOutputTopic(TopologyTestDriver driver, string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde)
    {
        _driver = driver;
        Topic = topic;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    /// <summary>The topic name.</summary>
    public string Topic { get; }

    /// <summary>True when every record written so far has been read.</summary>
    public bool IsEmpty => QueueSize == 0;

    /// <summary>Records written and not read yet.</summary>
    public int QueueSize => _driver.Unread(Topic);

    /// <summary>Reads the next record.</summary>
    /// <exception cref="InvalidOperationException">Nothing left to read.</exception>
    public Record<TKey, TValue> ReadRecord()
    {
        var raw = _driver.ReadNext(Topic) ?? throw new InvalidOperationException($"no more records in {Topic}");
        return new Record<TKey, TValue>(
            TopologyTestDriver.Await(Deserialize(_keySerde, raw.Key, MessageComponentType.Key, raw.Headers)),
            TopologyTestDriver.Await(Deserialize(_valueSerde, raw.Value, MessageComponentType.Value, raw.Headers)),
            raw.Timestamp,
            raw.Headers);
    }

    /// <summary>Reads all unread records.</summary>
    public IReadOnlyList<Record<TKey, TValue>> ReadRecordsToList()
    {
        var list = new List<Record<TKey, TValue>>();
        while (!IsEmpty)
        {
            list.Add(ReadRecord());
        }

        return list;
    }

    /// <summary>Reads all unread records as key/value pairs.</summary>
    public IReadOnlyList<KeyValuePair<TKey, TValue>> ReadKeyValuesToList() =>
        ReadRecordsToList().Select(r => KeyValuePair.Create(r.Key, r.Value)).ToList();

    private async Task<T> Deserialize<T>(Serde<T> serde, byte[]? data, MessageComponentType component, Headers? headers)
    {
        var context = new SerializationContext(component, Topic, headers);
        if (serde.Deserializer is { } sync)
        {
            return sync.Deserialize(data, data is null, context);
        }

        return serde.AsyncDeserializer is { } async
            ? await async.DeserializeAsync(data, data is null, context)
            : throw new InvalidOperationException($"the serde for {Topic} has no deserializer");
    }
}
