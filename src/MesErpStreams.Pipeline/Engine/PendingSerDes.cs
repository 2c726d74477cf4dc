using Confluent.Kafka;
using MesErpStreams.Pipeline.Internal;
using Streamiz.Kafka.Net.SerDes;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>Values of the pending store: <see cref="PendingEvent"/> as plain Avro.</summary>
internal sealed class PendingSerDes : AbstractSerDes<PendingEvent>
{
    public override byte[] Serialize(PendingEvent data, SerializationContext context) => EventCodec.PendingSerde.Instance.Serialize(data, context);

    public override PendingEvent Deserialize(byte[] data, SerializationContext context) =>
        EventCodec.PendingSerde.Instance.Deserialize(data, data is null, context);
}
