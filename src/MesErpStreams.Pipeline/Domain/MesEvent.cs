using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Pipeline.Domain;

/// <summary>
/// One MES event of any of the four types with the fields every stage needs, without copying the payload: the
/// original contract object stays in <see cref="Payload"/>.
/// </summary>
public sealed record MesEvent
{
    private MesEvent(EventKind kind, object payload, Guid eventId, string plant, DateTimeOffset occurredAt, TraceContext? trace,
        string? workOrder, string? material, Quantity? quantity, string? batch)
    {
        Kind = kind;
        Payload = payload;
        EventId = eventId;
        Plant = plant;
        OccurredAt = occurredAt;
        Trace = trace;
        WorkOrder = workOrder;
        Material = material;
        Quantity = quantity;
        Batch = batch;
    }

    /// <summary>Which event type.</summary>
    public EventKind Kind { get; }

    /// <summary>The event as consumed (a <see cref="ProductionConfirmation"/>, <see cref="ScrapReport"/>, …).</summary>
    public object Payload { get; }

    /// <summary>The MES idempotency key.</summary>
    public Guid EventId { get; }

    /// <summary>Plant code.</summary>
    public string Plant { get; }

    /// <summary>Shop-floor time.</summary>
    public DateTimeOffset OccurredAt { get; }

    /// <summary>Trace context of the producer.</summary>
    public TraceContext? Trace { get; }

    /// <summary>Work order, for order-bound events (null or empty when missing).</summary>
    public string? WorkOrder { get; }

    /// <summary>
    /// Material the event is about, when the event names it: scrap and hold material, consumed component. Null for a
    /// production confirmation, whose material is the work order's header material.
    /// </summary>
    public string? Material { get; }

    /// <summary>Quantity and unit as reported, null for a hold without quantity.</summary>
    public Quantity? Quantity { get; }

    /// <summary>Batch, if reported.</summary>
    public string? Batch { get; }

    /// <summary>True for events that must reference a work order.</summary>
    public bool IsOrderBound => Kind != EventKind.QualityHold;

    /// <summary>
    /// The Kafka key that orders this event's postings: plant/work order, or plant/material/batch for holds.
    /// </summary>
    public string OrderingKey => Kind == EventKind.QualityHold
        ? EventKeys.MaterialBatch(Plant, Material ?? string.Empty, Batch ?? string.Empty)
        : EventKeys.WorkOrder(Plant, WorkOrder ?? string.Empty);

    /// <summary>Wraps a production confirmation.</summary>
    public static MesEvent From(ProductionConfirmation e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(EventKind.ProductionConfirmation, e, e.EventId, e.Plant, e.OccurredAt, e.Trace, e.WorkOrder, null, e.YieldQuantity, e.Batch);
    }

    /// <summary>Wraps a scrap report.</summary>
    public static MesEvent From(ScrapReport e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(EventKind.ScrapReport, e, e.EventId, e.Plant, e.OccurredAt, e.Trace, e.WorkOrder, e.Material, e.Quantity, e.Batch);
    }

    /// <summary>Wraps a material consumption.</summary>
    public static MesEvent From(MaterialConsumption e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(EventKind.MaterialConsumption, e, e.EventId, e.Plant, e.OccurredAt, e.Trace, e.WorkOrder, e.ComponentMaterial, e.Quantity, e.Batch);
    }

    /// <summary>Wraps a quality hold.</summary>
    public static MesEvent From(QualityHold e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(EventKind.QualityHold, e, e.EventId, e.Plant, e.OccurredAt, e.Trace, e.WorkOrder, e.Material, e.Quantity, e.Batch);
    }
}
