using Confluent.Kafka;

namespace MesErpStreams.Streams;

/// <summary>
/// A serializer/deserializer pair for one type, wrapping Confluent.Kafka's synchronous
/// (<see cref="ISerializer{T}"/>/<see cref="IDeserializer{T}"/>) or asynchronous
/// (<see cref="IAsyncSerializer{T}"/>/<see cref="IAsyncDeserializer{T}"/>, e.g. schema-registry serdes) interfaces.
/// Asynchronous serdes are awaited by the runtime, never blocked on. Either half may be absent when only one
/// direction is needed (a source needs only a deserializer, a sink only a serializer); state stores need both
/// synchronous halves. Create with <see cref="Serdes.From{T}"/> or <see cref="Serdes.FromAsync{T}"/>.
/// </summary>
/// <typeparam name="T">The serialized type.</typeparam>
public sealed class Serde<T>
{
    internal Serde(ISerializer<T>? serializer, IDeserializer<T>? deserializer, IAsyncSerializer<T>? asyncSerializer, IAsyncDeserializer<T>? asyncDeserializer)
    {
        Serializer = serializer;
        Deserializer = deserializer;
        AsyncSerializer = asyncSerializer;
        AsyncDeserializer = asyncDeserializer;
    }

    /// <summary>The synchronous serializer, if any.</summary>
    public ISerializer<T>? Serializer { get; }

    /// <summary>The synchronous deserializer, if any.</summary>
    public IDeserializer<T>? Deserializer { get; }

    /// <summary>The asynchronous serializer, if any (used only when <see cref="Serializer"/> is absent).</summary>
    public IAsyncSerializer<T>? AsyncSerializer { get; }

    /// <summary>The asynchronous deserializer, if any (used only when <see cref="Deserializer"/> is absent).</summary>
    public IAsyncDeserializer<T>? AsyncDeserializer { get; }

    /// <summary>True when both directions are available synchronously (required for state stores).</summary>
    public bool IsSynchronous => Serializer is not null && Deserializer is not null;

    internal bool CanSerialize => Serializer is not null || AsyncSerializer is not null;

    internal bool CanDeserialize => Deserializer is not null || AsyncDeserializer is not null;

    internal ValueTask<T> DeserializeAsync(byte[]? data, SerializationContext context)
    {
        if (Deserializer is not null)
        {
            return new ValueTask<T>(Deserializer.Deserialize(data, data is null, context));
        }

        if (AsyncDeserializer is null)
        {
            throw new InvalidOperationException("this serde has no deserializer");
        }

        return new ValueTask<T>(AsyncDeserializer.DeserializeAsync(data, data is null, context));
    }

    internal T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
        Deserializer is null
            ? throw new InvalidOperationException("this serde has no synchronous deserializer")
            : Deserializer.Deserialize(data, isNull, context);

    internal byte[]? Serialize(T value, SerializationContext context) =>
        Serializer is null
            ? throw new InvalidOperationException("this serde has no synchronous serializer")
            : Serializer.Serialize(value, context);
}
