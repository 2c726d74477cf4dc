using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.Pipeline.Internal;
using Streamiz.Kafka.Net.SerDes;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>Values of the pending store: <see cref="PendingEvent"/> as plain Avro in its own schema.</summary>
internal sealed class PendingSerDes : AbstractSerDes<PendingEvent>
{
    private static readonly AvroCodec<PendingEvent> Codec = AvroCodec.For<PendingEvent>(PendingEvent.Schema);

    public override byte[] Serialize(PendingEvent data, SerializationContext context) => Codec.Encode(data);

    public override PendingEvent Deserialize(byte[] data, SerializationContext context) =>
        data is null ? throw new InvalidOperationException("pending store value is null") : Codec.Decode(data);
}
