using MesErpStreams.Avro;
using MesErpStreams.Contracts.Common;

namespace MesErpStreams.Contracts.Mes;

/// <summary>
/// MES event: quantity scrapped at an operation of a work order (<c>com.meserp.mes.ScrapReport</c>,
/// topic <c>mes.events.scrap-reports</c>, keyed by plant + work order).
/// </summary>
public sealed record ScrapReport : IAvroContract<ScrapReport>
{
    /// <summary>The schema, from <c>schemas/mes/ScrapReport.avsc</c>.</summary>
    public static Schema Schema => ContractSchemas.Get("mes/ScrapReport.avsc");

    /// <summary>Unique id of this event assigned by the MES; the deduplication key.</summary>
    public required Guid EventId { get; init; }

    /// <summary>ERP plant code where the event happened.</summary>
    public required string Plant { get; init; }

    /// <summary>MES instance / edge producer that emitted the event.</summary>
    public required string SourceSystem { get; init; }

    /// <summary>When the scrap happened on the shop floor (UTC, millisecond precision).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Monotonically increasing sequence number per <see cref="SourceSystem"/>.</summary>
    public required long Sequence { get; init; }

    /// <summary>Trace context of the producer; null when not traced.</summary>
    public TraceContext? Trace { get; init; }

    /// <summary>ERP production order number.</summary>
    public required string WorkOrder { get; init; }

    /// <summary>Operation number where the scrap occurred.</summary>
    public required string Operation { get; init; }

    /// <summary>Work center where the scrap occurred; null to take it from the work order's operation.</summary>
    public string? WorkCenter { get; init; }

    /// <summary>Material number of the scrapped material.</summary>
    public required string Material { get; init; }

    /// <summary>Scrapped quantity, in the unit reported by the MES.</summary>
    public required Quantity Quantity { get; init; }

    /// <summary>Scrap reason code.</summary>
    public required string ReasonCode { get; init; }

    /// <summary>Batch / lot of the scrapped material.</summary>
    public string? Batch { get; init; }
}
