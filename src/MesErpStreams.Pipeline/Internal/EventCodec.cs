using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.Contracts;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Pipeline.Internal;

/// <summary>Encodes MES events for the pending store (plain Avro in the contract's schema) and decodes them back.</summary>
internal static class EventCodec
{
    private static readonly AvroCodec<PendingEvent> PendingCodec = AvroCodec.For<PendingEvent>(PendingEvent.Schema);

    public static byte[] Encode(MesEvent e, out long fingerprint) => e.Payload switch
    {
        ProductionConfirmation x => Of<ProductionConfirmation>.Encode(x, out fingerprint),
        ScrapReport x => Of<ScrapReport>.Encode(x, out fingerprint),
        MaterialConsumption x => Of<MaterialConsumption>.Encode(x, out fingerprint),
        QualityHold x => Of<QualityHold>.Encode(x, out fingerprint),
        _ => throw new ArgumentException($"unexpected event payload {e.Payload.GetType().Name}", nameof(e)),
    };

    public static MesEvent Decode(PendingEvent p) => p.EventKind switch
    {
        EventKind.ProductionConfirmation => MesEvent.From(Of<ProductionConfirmation>.Decode(p)),
        EventKind.ScrapReport => MesEvent.From(Of<ScrapReport>.Decode(p)),
        EventKind.MaterialConsumption => MesEvent.From(Of<MaterialConsumption>.Decode(p)),
        EventKind.QualityHold => MesEvent.From(Of<QualityHold>.Decode(p)),
        _ => throw new InvalidOperationException($"pending event of unknown kind {p.Kind}"),
    };

    /// <summary>Serde of the pending store's values.</summary>
    public sealed class PendingSerde : ISerializer<PendingEvent>, IDeserializer<PendingEvent>
    {
        public static readonly PendingSerde Instance = new();

        public byte[] Serialize(PendingEvent data, SerializationContext context) => PendingCodec.Encode(data);

        public PendingEvent Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? throw new InvalidOperationException("pending store value is null") : PendingCodec.Decode(data);
    }

    private static class Of<T>
        where T : IAvroContract<T>
    {
        private static readonly AvroCodec<T> Codec = AvroCodec.For<T>(T.Schema);
        private static readonly long Fingerprint = T.Schema.Fingerprint64();

        public static byte[] Encode(T value, out long fingerprint)
        {
            fingerprint = Fingerprint;
            return Codec.Encode(value);
        }

        public static T Decode(PendingEvent p)
        {
            if (p.PayloadSchemaFingerprint != Fingerprint)
            {
                // Pending events outlive deployments only for the pending timeout; a schema change in between must
                // drain them first (see docs/pipeline.md). Say so instead of mis-decoding.
                throw new InvalidOperationException(
                    $"pending {typeof(T).Name} was stored with schema fingerprint {p.PayloadSchemaFingerprint:x16}, this build has {Fingerprint:x16}");
            }

            return Codec.Decode(p.Payload);
        }
    }
}
