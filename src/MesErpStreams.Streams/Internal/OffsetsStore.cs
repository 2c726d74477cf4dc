using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Streams.State;

namespace MesErpStreams.Streams.Internal;

/// <summary>
/// The per-task record of input offsets written inside each transaction (see
/// <see cref="StreamsOptions.TrackOffsetsInChangelog"/>): key = source topic (UTF-8), value = next offset (big-endian).
/// </summary>
internal static class OffsetsStore
{
    public const string Name = "__offsets";

    public static StoreDefinition Definition { get; } = Stores.InMemory(Name, Serdes.ByteArray, Serdes.ByteArray).ToDefinition();

    public static void Record(StoreCache store, TopicPartition tp, long nextOffset)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(value, nextOffset);
        store.Put(Encoding.UTF8.GetBytes(tp.Topic), value);
    }

    public static long? Read(StoreCache store, string topic) =>
        store.TryGet(Encoding.UTF8.GetBytes(topic), out var value) && value.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(value) : null;
}
