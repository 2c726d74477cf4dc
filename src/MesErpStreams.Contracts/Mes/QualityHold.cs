using MesErpStreams.Avro;
using MesErpStreams.Contracts.Common;

namespace MesErpStreams.Contracts.Mes;

/// <summary>
/// MES event: a quality hold placed on or released from a batch (<c>com.meserp.mes.QualityHold</c>,
/// topic <c>mes.events.quality-holds</c>, keyed by plant + material + batch).
/// </summary>
public sealed record QualityHold : IAvroContract<QualityHold>
{
    /// <summary>The schema, from <c>schemas/mes/QualityHold.avsc</c>.</summary>
    public static Schema Schema => ContractSchemas.Get("mes/QualityHold.avsc");

    /// <summary>Unique id of this event assigned by the MES; the deduplication key.</summary>
    public required Guid EventId { get; init; }

    /// <summary>ERP plant code where the event happened.</summary>
    public required string Plant { get; init; }

    /// <summary>MES instance / edge producer that emitted the event.</summary>
    public required string SourceSystem { get; init; }

    /// <summary>When the hold change happened on the shop floor (UTC, millisecond precision).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Monotonically increasing sequence number per <see cref="SourceSystem"/>.</summary>
    public required long Sequence { get; init; }

    /// <summary>Trace context of the producer; null when not traced.</summary>
    public TraceContext? Trace { get; init; }

    /// <summary>Hold id in the MES; a PLACED and its RELEASED carry the same id.</summary>
    public required string HoldId { get; init; }

    /// <summary>Whether the hold was placed or released.</summary>
    public required QualityHoldAction Action { get; init; }

    /// <summary>Material number of the held stock.</summary>
    public required string Material { get; init; }

    /// <summary>Batch / lot of the held stock.</summary>
    public required string Batch { get; init; }

    /// <summary>Held quantity; null means the whole batch.</summary>
    public Quantity? Quantity { get; init; }

    /// <summary>Hold reason code.</summary>
    public required string ReasonCode { get; init; }

    /// <summary>Free-text explanation of the hold.</summary>
    public string? Reason { get; init; }

    /// <summary>Storage location of the held stock; null for all storage locations of the plant.</summary>
    public string? StorageLocation { get; init; }

    /// <summary>Work order that produced the held batch, when known.</summary>
    public string? WorkOrder { get; init; }
}
