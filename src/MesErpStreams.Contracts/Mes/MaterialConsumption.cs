using MesErpStreams.Avro;
using MesErpStreams.Contracts.Common;

namespace MesErpStreams.Contracts.Mes;

/// <summary>
/// MES event: component material consumed by an operation of a work order (<c>com.meserp.mes.MaterialConsumption</c>,
/// topic <c>mes.events.material-consumptions</c>, keyed by plant + work order).
/// </summary>
public sealed record MaterialConsumption : IAvroContract<MaterialConsumption>
{
    /// <summary>The schema, from <c>schemas/mes/MaterialConsumption.avsc</c>.</summary>
    public static Schema Schema => ContractSchemas.Get("mes/MaterialConsumption.avsc");

    /// <summary>Unique id of this event assigned by the MES; the deduplication key.</summary>
    public required Guid EventId { get; init; }

    /// <summary>ERP plant code where the event happened.</summary>
    public required string Plant { get; init; }

    /// <summary>MES instance / edge producer that emitted the event.</summary>
    public required string SourceSystem { get; init; }

    /// <summary>When the consumption happened on the shop floor (UTC, millisecond precision).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Monotonically increasing sequence number per <see cref="SourceSystem"/>.</summary>
    public required long Sequence { get; init; }

    /// <summary>Trace context of the producer; null when not traced.</summary>
    public TraceContext? Trace { get; init; }

    /// <summary>ERP production order number that consumed the material.</summary>
    public required string WorkOrder { get; init; }

    /// <summary>Operation number that consumed the material.</summary>
    public required string Operation { get; init; }

    /// <summary>Material number of the consumed component.</summary>
    public required string ComponentMaterial { get; init; }

    /// <summary>Consumed quantity, in the unit reported by the MES.</summary>
    public required Quantity Quantity { get; init; }

    /// <summary>Batch / lot of the consumed component.</summary>
    public string? Batch { get; init; }

    /// <summary>Storage location the component was taken from; null to use the defaults from master data.</summary>
    public string? StorageLocation { get; init; }
}
