using MesErpStreams.Avro;
using MesErpStreams.Contracts.Common;

namespace MesErpStreams.Contracts.Mes;

/// <summary>
/// MES event: good quantity produced for an operation of a work order (<c>com.meserp.mes.ProductionConfirmation</c>,
/// topic <c>mes.events.production-confirmations</c>, keyed by plant + work order).
/// </summary>
public sealed record ProductionConfirmation : IAvroContract<ProductionConfirmation>
{
    /// <summary>The schema, from <c>schemas/mes/ProductionConfirmation.avsc</c>.</summary>
    public static Schema Schema => ContractSchemas.Get("mes/ProductionConfirmation.avsc");

    /// <summary>Unique id of this event assigned by the MES; the deduplication key.</summary>
    public required Guid EventId { get; init; }

    /// <summary>ERP plant code where the event happened.</summary>
    public required string Plant { get; init; }

    /// <summary>MES instance / edge producer that emitted the event.</summary>
    public required string SourceSystem { get; init; }

    /// <summary>When the production happened on the shop floor (UTC, millisecond precision).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Monotonically increasing sequence number per <see cref="SourceSystem"/>.</summary>
    public required long Sequence { get; init; }

    /// <summary>Trace context of the producer; null when not traced.</summary>
    public TraceContext? Trace { get; init; }

    /// <summary>ERP production order number.</summary>
    public required string WorkOrder { get; init; }

    /// <summary>Operation number within the routing, e.g. 0010.</summary>
    public required string Operation { get; init; }

    /// <summary>Work center where the operation ran.</summary>
    public required string WorkCenter { get; init; }

    /// <summary>Good quantity produced, in the unit reported by the MES.</summary>
    public required Quantity YieldQuantity { get; init; }

    /// <summary>True for the final confirmation of the operation.</summary>
    public required bool FinalConfirmation { get; init; }

    /// <summary>Batch / lot produced, for batch-managed materials.</summary>
    public string? Batch { get; init; }

    /// <summary>Shift in which the quantity was produced.</summary>
    public string? Shift { get; init; }
}
