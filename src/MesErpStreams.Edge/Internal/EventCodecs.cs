using MesErpStreams.Avro;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Edge.Internal;

/// <summary>Compiled Avro codecs of the four event contracts, created once.</summary>
internal static class EventCodecs
{
    private static readonly AvroCodec<ProductionConfirmation> Pc = AvroCodec.For<ProductionConfirmation>(ProductionConfirmation.Schema);
    private static readonly AvroCodec<ScrapReport> Scrap = AvroCodec.For<ScrapReport>(ScrapReport.Schema);
    private static readonly AvroCodec<MaterialConsumption> Consumption = AvroCodec.For<MaterialConsumption>(MaterialConsumption.Schema);
    private static readonly AvroCodec<QualityHold> Hold = AvroCodec.For<QualityHold>(QualityHold.Schema);

    public static byte[] Encode(object mesEvent)
    {
        try
        {
            return mesEvent switch
            {
                ProductionConfirmation e => Pc.Encode(e),
                ScrapReport e => Scrap.Encode(e),
                MaterialConsumption e => Consumption.Encode(e),
                QualityHold e => Hold.Encode(e),
                _ => throw new ArgumentException($"{mesEvent.GetType().Name} is not a MES event record", nameof(mesEvent)),
            };
        }
        catch (AvroException e)
        {
            throw new ArgumentException("does not fit its Avro schema: " + e.Message, nameof(mesEvent), e);
        }
    }

    public static object Decode(EventKind kind, ReadOnlySpan<byte> body) => kind switch
    {
        EventKind.ProductionConfirmation => Pc.Decode(body),
        EventKind.ScrapReport => Scrap.Decode(body),
        EventKind.MaterialConsumption => Consumption.Decode(body),
        EventKind.QualityHold => Hold.Decode(body),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown event kind"),
    };

    public static Schema SchemaOf(EventKind kind) => kind switch
    {
        EventKind.ProductionConfirmation => ProductionConfirmation.Schema,
        EventKind.ScrapReport => ScrapReport.Schema,
        EventKind.MaterialConsumption => MaterialConsumption.Schema,
        EventKind.QualityHold => QualityHold.Schema,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown event kind"),
    };
}
