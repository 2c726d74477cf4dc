using Confluent.Kafka;

namespace MesErpStreams.Streams.Internal;

/// <summary>A node instance inside one task.</summary>
internal abstract class NodeInstance(string name)
{
    public string Name { get; } = name;

    public virtual void Init()
    {
    }

    public virtual void Close()
    {
    }
}

/// <summary>A node that receives records of one key/value type.</summary>
internal abstract class InputNode<TKey, TValue>(string name) : NodeInstance(name)
{
    public abstract void Process(Record<TKey, TValue> record);
}

/// <summary>A source: deserializes raw input and passes it to its children.</summary>
internal abstract class SourceNode(string name) : NodeInstance(name)
{
    public abstract ValueTask ProcessAsync(ConsumeResult<byte[], byte[]> raw);
}

internal sealed class SourceNode<TKey, TValue>(string name, Serde<TKey> keySerde, Serde<TValue> valueSerde, InputNode<TKey, TValue>[] children)
    : SourceNode(name)
{
    private readonly bool _sync = keySerde.Deserializer is not null && valueSerde.Deserializer is not null;

    public override ValueTask ProcessAsync(ConsumeResult<byte[], byte[]> raw)
    {
        if (!_sync)
        {
            return ProcessSlowAsync(raw);
        }

        TKey key;
        TValue value;
        try
        {
            var m = raw.Message;
            key = keySerde.Deserializer!.Deserialize(m.Key, m.Key is null, new SerializationContext(MessageComponentType.Key, raw.Topic, m.Headers));
            value = valueSerde.Deserializer!.Deserialize(m.Value, m.Value is null, new SerializationContext(MessageComponentType.Value, raw.Topic, m.Headers));
        }
        catch (Exception ex)
        {
            throw StageFailure.Wrap(ErrorStage.Deserialize, Name, ex);
        }

        Forward(new Record<TKey, TValue>(key, value, ToTime(raw.Message.Timestamp), raw.Message.Headers));
        return default;
    }

    internal static DateTimeOffset ToTime(Timestamp ts) =>
        ts.Type == TimestampType.NotAvailable ? DateTimeOffset.UnixEpoch : DateTimeOffset.FromUnixTimeMilliseconds(ts.UnixTimestampMs);

    private async ValueTask ProcessSlowAsync(ConsumeResult<byte[], byte[]> raw)
    {
        TKey key;
        TValue value;
        try
        {
            var m = raw.Message;
            key = await keySerde.DeserializeAsync(m.Key, new SerializationContext(MessageComponentType.Key, raw.Topic, m.Headers));
            value = await valueSerde.DeserializeAsync(m.Value, new SerializationContext(MessageComponentType.Value, raw.Topic, m.Headers));
        }
        catch (Exception ex)
        {
            throw StageFailure.Wrap(ErrorStage.Deserialize, Name, ex);
        }

        Forward(new Record<TKey, TValue>(key, value, ToTime(raw.Message.Timestamp), raw.Message.Headers));
    }

    private void Forward(Record<TKey, TValue> record)
    {
        foreach (var child in children)
        {
            child.Process(record);
        }
    }
}

internal sealed class ProcessorNode<TKeyIn, TValueIn, TKeyOut, TValueOut>(
    string name, IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut> processor, ProcessorContext<TKeyOut, TValueOut> context)
    : InputNode<TKeyIn, TValueIn>(name)
{
    public ProcessorContext<TKeyOut, TValueOut> Context { get; } = context;

    public override void Init() => processor.Init(Context);

    public override void Process(Record<TKeyIn, TValueIn> record)
    {
        try
        {
            processor.Process(record);
        }
        catch (Exception ex)
        {
            throw StageFailure.Wrap(ErrorStage.Process, Name, ex);
        }
    }

    public override void Close() => processor.Close();
}

internal sealed class SinkNode<TKey, TValue>(string name, string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde, OutputBuffer outputs)
    : InputNode<TKey, TValue>(name)
{
    public string Topic { get; } = topic;

    public override void Process(Record<TKey, TValue> record)
    {
        var keyContext = new SerializationContext(MessageComponentType.Key, Topic, record.Headers);
        var valueContext = new SerializationContext(MessageComponentType.Value, Topic, record.Headers);
        var ts = record.Timestamp.ToUnixTimeMilliseconds();
        try
        {
            byte[]? key = null;
            byte[]? value = null;
            Task<byte[]>? keyTask = null;
            Task<byte[]>? valueTask = null;
            if (keySerde.Serializer is { } ks)
            {
                key = ks.Serialize(record.Key, keyContext);
            }
            else
            {
                keyTask = keySerde.AsyncSerializer!.SerializeAsync(record.Key, keyContext);
            }

            if (valueSerde.Serializer is { } vs)
            {
                value = vs.Serialize(record.Value, valueContext);
            }
            else
            {
                valueTask = valueSerde.AsyncSerializer!.SerializeAsync(record.Value, valueContext);
            }

            outputs.Add(new PendingOutput(Name, Topic, key, value, keyTask, valueTask, record.Headers, ts));
        }
        catch (Exception ex)
        {
            throw StageFailure.Wrap(ErrorStage.Serialize, Name, ex);
        }
    }
}
