using MesErpStreams.Avro;

namespace MesErpStreams.Contracts.Erp.Master;

/// <summary>
/// ERP master data: a production order (<c>com.meserp.erp.master.WorkOrder</c>, compacted topic
/// <c>erp.master.work-orders</c>, keyed by plant + order number).
/// </summary>
public sealed record WorkOrder : IAvroContract<WorkOrder>
{
    /// <summary>The schema, from <c>schemas/erp/master/WorkOrder.avsc</c>.</summary>
    public static Schema Schema => ContractSchemas.Get("erp/master/WorkOrder.avsc");

    /// <summary>ERP production order number.</summary>
    public required string OrderNumber { get; init; }

    /// <summary>ERP plant code of the order.</summary>
    public required string Plant { get; init; }

    /// <summary>Header material the order produces.</summary>
    public required string Material { get; init; }

    /// <summary>Planned quantity, in <see cref="PlannedUnit"/>.</summary>
    public required decimal PlannedQuantity { get; init; }

    /// <summary>Unit of <see cref="PlannedQuantity"/> (the order unit).</summary>
    public required string PlannedUnit { get; init; }

    /// <summary>Current status of the order.</summary>
    public required WorkOrderStatus Status { get; init; }

    /// <summary>Operations of the routing, in sequence.</summary>
    public required IReadOnlyList<WorkOrderOperation> Operations { get; init; }

    /// <summary>Components reserved for the order (empty by default).</summary>
    public IReadOnlyList<WorkOrderComponent> Components { get; init; } = [];

    /// <summary>Storage location receiving the order's output.</summary>
    public required string ReceivingStorageLocation { get; init; }

    /// <summary>Order type, e.g. PP01.</summary>
    public string? OrderType { get; init; }

    /// <summary>Scheduled start.</summary>
    public DateTimeOffset? ScheduledStart { get; init; }

    /// <summary>Scheduled finish.</summary>
    public DateTimeOffset? ScheduledFinish { get; init; }

    /// <summary>When the ERP last changed the order (UTC).</summary>
    public required DateTimeOffset ChangedAt { get; init; }
}
