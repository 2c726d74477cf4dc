using System.Buffers.Binary;
using Confluent.Kafka;

namespace MesErpStreams.Streams;

/// <summary>Ready-made serdes for simple types (Confluent's built-in encodings: UTF-8 strings, big-endian numbers).</summary>
public static class Serdes
{
    /// <summary>UTF-8 strings.</summary>
    public static Serde<string> String { get; } = From(Serializers.Utf8, Deserializers.Utf8);

    /// <summary>Big-endian 64-bit integers.</summary>
    public static Serde<long> Int64 { get; } = From(Serializers.Int64, Deserializers.Int64);

    /// <summary>Big-endian 32-bit integers.</summary>
    public static Serde<int> Int32 { get; } = From(Serializers.Int32, Deserializers.Int32);

    /// <summary>Raw bytes, passed through unchanged (null stays null).</summary>
    public static Serde<byte[]> ByteArray { get; } = From(Serializers.ByteArray, Deserializers.ByteArray);

    /// <summary>Keys of keyless records: always null on the wire.</summary>
    public static Serde<Null> Null { get; } = From(Serializers.Null, Deserializers.Null);

    /// <summary>A single flag byte (1 or 0), handy for presence/dedupe stores.</summary>
    public static Serde<bool> Boolean { get; } = From<bool>(new BoolSerde(), new BoolSerde());

    /// <summary>Timestamps as big-endian Unix milliseconds.</summary>
    public static Serde<DateTimeOffset> UnixMilliseconds { get; } = From<DateTimeOffset>(new TimeSerde(), new TimeSerde());

    /// <summary>Creates a serde from synchronous halves (either may be null when only one direction is needed).</summary>
    /// <exception cref="ArgumentException">Both halves are null.</exception>
    public static Serde<T> From<T>(ISerializer<T>? serializer, IDeserializer<T>? deserializer) =>
        serializer is null && deserializer is null
            ? throw new ArgumentException("a serde needs a serializer, a deserializer or both")
            : new Serde<T>(serializer, deserializer, null, null);

    /// <summary>Creates a serde from asynchronous halves (e.g. schema-registry Avro serdes); they are awaited, never blocked on.</summary>
    /// <exception cref="ArgumentException">Both halves are null.</exception>
    public static Serde<T> FromAsync<T>(IAsyncSerializer<T>? serializer, IAsyncDeserializer<T>? deserializer) =>
        serializer is null && deserializer is null
            ? throw new ArgumentException("a serde needs a serializer, a deserializer or both")
            : new Serde<T>(null, null, serializer, deserializer);

    private sealed class BoolSerde : ISerializer<bool>, IDeserializer<bool>
    {
        private static readonly byte[] True = [1];
        private static readonly byte[] False = [0];

        public byte[] Serialize(bool data, SerializationContext context) => data ? True : False;

        public bool Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            !isNull && data.Length == 1 ? data[0] != 0 : throw new FormatException("a boolean is exactly one byte");
    }

    private sealed class TimeSerde : ISerializer<DateTimeOffset>, IDeserializer<DateTimeOffset>
    {
        public byte[] Serialize(DateTimeOffset data, SerializationContext context)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, data.ToUnixTimeMilliseconds());
            return bytes;
        }

        public DateTimeOffset Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            !isNull && data.Length == 8
                ? DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(data))
                : throw new FormatException("a timestamp is exactly eight bytes");
    }
}
