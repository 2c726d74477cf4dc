namespace MesErpStreams.Pipeline.Domain;

/// <summary>
/// Reason codes of events the pipeline dead-letters to <c>mes.events.dlq</c> (header <c>meserp.reason</c>).
/// Stable strings: dashboards, alerts and replay filters use them.
/// </summary>
public static class RejectReasons
{
    /// <summary>A quantity is zero or negative where only positive quantities make sense.</summary>
    public const string QuantityNotPositive = "QUANTITY_NOT_POSITIVE";

    /// <summary>A unit of measure is empty or not a unit code.</summary>
    public const string UnitUnknown = "UNIT_UNKNOWN";

    /// <summary>The material has no conversion from the event's unit to its base unit.</summary>
    public const string UnitNotConvertible = "UNIT_NOT_CONVERTIBLE";

    /// <summary>occurredAt lies further in the future than the allowed clock skew.</summary>
    public const string OccurredInFuture = "OCCURRED_IN_FUTURE";

    /// <summary>An order-bound event has no work order.</summary>
    public const string WorkOrderMissing = "WORK_ORDER_MISSING";

    /// <summary>A required field (plant, material, batch of a hold, …) is empty.</summary>
    public const string FieldMissing = "FIELD_MISSING";

    /// <summary>The event names an operation the work order does not have.</summary>
    public const string OperationUnknown = "OPERATION_UNKNOWN";

    /// <summary>The work order is closed, deleted or technically completed: the ERP would refuse postings.</summary>
    public const string OrderClosed = "ORDER_CLOSED";

    /// <summary>The work order is not released yet: the ERP would refuse confirmations.</summary>
    public const string OrderNotReleased = "ORDER_NOT_RELEASED";

    /// <summary>The material is batch managed and the event carries no batch.</summary>
    public const string BatchMissing = "BATCH_MISSING";

    /// <summary>A quality hold names a batch of a material that is not batch managed.</summary>
    public const string MaterialNotBatchManaged = "MATERIAL_NOT_BATCH_MANAGED";

    /// <summary>A scrap report names a material other than the work order's header material.</summary>
    public const string ScrapMaterialMismatch = "SCRAP_MATERIAL_NOT_ORDER_MATERIAL";

    /// <summary>An enum carries a symbol this version does not know (it resolved to UNKNOWN).</summary>
    public const string UnknownAction = "UNKNOWN_ACTION";

    /// <summary>Master data (work order or material) did not arrive within the pending timeout.</summary>
    public const string MasterDataMissing = "MASTER_DATA_MISSING";
}
