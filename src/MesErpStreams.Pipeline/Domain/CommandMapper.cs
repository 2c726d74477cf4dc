using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Pipeline.Domain;

/// <summary>
/// Enriches a validated event with master data and maps it to its ERP posting command:
/// production confirmation → order confirmation (yield, final flag); scrap → order confirmation with scrap quantity
/// (see docs/pipeline.md for why not a 551 goods movement); material consumption → goods issue to the order (261);
/// quality hold PLACED/RELEASED → block/unblock the batch's stock. Quantities are converted into the material's
/// base unit.
/// </summary>
public static class CommandMapper
{
    /// <summary>Maps an event. Pure: the same event and master data always give the same command.</summary>
    /// <param name="e">A validated event.</param>
    /// <param name="masterData">Master-data lookups.</param>
    /// <param name="createdAt">Command creation time (stream time of the event in the pipeline).</param>
    /// <param name="options">Rounding.</param>
    public static MappingOutcome Map(MesEvent e, IMasterData masterData, DateTimeOffset createdAt, MappingOptions options)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(masterData);
        ArgumentNullException.ThrowIfNull(options);
        if (e.Payload is QualityHold hold)
        {
            return MapHold(e, hold, masterData, createdAt, options);
        }

        var order = masterData.FindWorkOrder(e.Plant, e.WorkOrder!);
        if (order is null)
        {
            return MappingOutcome.Missing("work-order:" + EventKeys.WorkOrder(e.Plant, e.WorkOrder!));
        }

        if (e.Payload is ScrapReport scrap && !string.Equals(scrap.Material, order.Material, StringComparison.Ordinal))
        {
            return MappingOutcome.Rejected(RejectReasons.ScrapMaterialMismatch,
                $"scrap of {scrap.Material} reported against order {order.OrderNumber}, which produces {order.Material}");
        }

        var materialNumber = e.Material ?? order.Material;
        var material = masterData.FindMaterial(e.Plant, materialNumber);
        if (material is null)
        {
            return MappingOutcome.Missing("material:" + EventKeys.Material(e.Plant, materialNumber));
        }

        if (order.Status is WorkOrderStatus.Closed or WorkOrderStatus.Deleted or WorkOrderStatus.TechnicallyCompleted)
        {
            return MappingOutcome.Rejected(RejectReasons.OrderClosed, $"work order {order.OrderNumber} is {order.Status}");
        }

        if (order.Status is WorkOrderStatus.Created or WorkOrderStatus.Unknown)
        {
            return MappingOutcome.Rejected(RejectReasons.OrderNotReleased, $"work order {order.OrderNumber} is {order.Status}");
        }

        if (material.BatchManaged && string.IsNullOrWhiteSpace(e.Batch))
        {
            return MappingOutcome.Rejected(RejectReasons.BatchMissing, $"material {material.MaterialNumber} is batch managed and the event has no batch");
        }

        var q = e.Quantity!;
        if (!UnitConverter.TryToBaseUnit(q.Value, q.Unit, material, options.QuantityScale, options.Rounding, out var baseQuantity))
        {
            return MappingOutcome.Rejected(RejectReasons.UnitNotConvertible,
                $"material {material.MaterialNumber} has no conversion from {q.Unit} to its base unit {material.BaseUnit}");
        }

        return e.Payload switch
        {
            ProductionConfirmation pc => Confirmation(e, order, material, pc.Operation, pc.WorkCenter, baseQuantity, 0m, pc.FinalConfirmation, null, createdAt),
            ScrapReport sr => Confirmation(e, order, material, sr.Operation, sr.WorkCenter, 0m, baseQuantity, false, sr.ReasonCode, createdAt),
            MaterialConsumption mc => GoodsIssue(e, mc, order, material, baseQuantity, createdAt),
            _ => throw new InvalidOperationException($"unexpected payload {e.Payload.GetType().Name}"),
        };
    }

    private static MappingOutcome Confirmation(MesEvent e, WorkOrder order, Material material, string operation, string? workCenter,
        decimal yield, decimal scrap, bool final, string? reason, DateTimeOffset createdAt)
    {
        var op = FindOperation(order, operation);
        if (op is null)
        {
            return MappingOutcome.Rejected(RejectReasons.OperationUnknown, $"work order {order.OrderNumber} has no operation {operation}");
        }

        var body = new OrderConfirmation
        {
            OrderNumber = order.OrderNumber,
            Operation = op.OperationNumber,
            WorkCenter = string.IsNullOrWhiteSpace(workCenter) ? op.WorkCenter : workCenter,
            YieldQuantity = yield,
            ScrapQuantity = scrap,
            Unit = material.BaseUnit,
            FinalConfirmation = final,
            ReasonCode = reason,
            Batch = e.Batch,
            PostingDate = PostingDate(e),
        };
        return MappingOutcome.Mapped(Envelope(e, ErpCommandType.OrderConfirmation, createdAt) with { OrderConfirmation = body });
    }

    private static MappingOutcome GoodsIssue(MesEvent e, MaterialConsumption mc, WorkOrder order, Material material, decimal quantity, DateTimeOffset createdAt)
    {
        var op = FindOperation(order, mc.Operation);
        if (op is null)
        {
            return MappingOutcome.Rejected(RejectReasons.OperationUnknown, $"work order {order.OrderNumber} has no operation {mc.Operation}");
        }

        var component = order.Components.FirstOrDefault(c => string.Equals(c.Material, mc.ComponentMaterial, StringComparison.Ordinal));
        var storage = mc.StorageLocation ?? component?.StorageLocation ?? material.DefaultStorageLocation;
        if (string.IsNullOrWhiteSpace(storage))
        {
            return MappingOutcome.Rejected(RejectReasons.FieldMissing,
                $"no storage location for {mc.ComponentMaterial}: not in the event, the order's components or the material");
        }

        var body = new GoodsMovement
        {
            MovementType = GoodsMovement.GoodsIssueToOrder,
            Material = material.MaterialNumber,
            Quantity = quantity,
            BaseUnit = material.BaseUnit,
            Batch = e.Batch,
            Plant = e.Plant,
            StorageLocation = storage,
            OrderNumber = order.OrderNumber,
            CostCenter = op.CostCenter,
            PostingDate = PostingDate(e),
        };
        return MappingOutcome.Mapped(Envelope(e, ErpCommandType.GoodsMovement, createdAt) with { GoodsMovement = body });
    }

    private static MappingOutcome MapHold(MesEvent e, QualityHold hold, IMasterData masterData, DateTimeOffset createdAt, MappingOptions options)
    {
        var material = masterData.FindMaterial(e.Plant, hold.Material);
        if (material is null)
        {
            return MappingOutcome.Missing("material:" + EventKeys.Material(e.Plant, hold.Material));
        }

        if (!material.BatchManaged)
        {
            return MappingOutcome.Rejected(RejectReasons.MaterialNotBatchManaged, $"material {material.MaterialNumber} is not batch managed");
        }

        decimal? quantity = null;
        if (hold.Quantity is { } q)
        {
            if (!UnitConverter.TryToBaseUnit(q.Value, q.Unit, material, options.QuantityScale, options.Rounding, out var converted))
            {
                return MappingOutcome.Rejected(RejectReasons.UnitNotConvertible,
                    $"material {material.MaterialNumber} has no conversion from {q.Unit} to its base unit {material.BaseUnit}");
            }

            quantity = converted;
        }

        var body = new StockStatusChange
        {
            Action = hold.Action == QualityHoldAction.Placed ? StockStatusAction.Block : StockStatusAction.Unblock,
            Material = material.MaterialNumber,
            Batch = hold.Batch,
            Plant = e.Plant,
            StorageLocation = hold.StorageLocation ?? material.DefaultStorageLocation,
            Quantity = quantity,
            BaseUnit = quantity is null ? null : material.BaseUnit,
            HoldId = hold.HoldId,
            ReasonCode = hold.ReasonCode,
        };
        return MappingOutcome.Mapped(Envelope(e, ErpCommandType.StockStatusChange, createdAt) with { StockStatusChange = body });
    }

    // One event → one command (no aggregation: SourceEventIds always has one id). The command's trace context is the
    // processor's hop: a child of the event's (or, for an untraced event, of the event's derived root), named by the
    // idempotency key so re-processing writes the same value; tracestate is carried unchanged.
    private static ErpPostingCommand Envelope(MesEvent e, ErpCommandType type, DateTimeOffset createdAt)
    {
        var key = IdempotencyKeys.For(type, e.EventId);
        return new()
        {
            IdempotencyKey = key,
            CommandType = type,
            SourceEventIds = [e.EventId],
            Plant = e.Plant,
            OrderKey = e.OrderingKey,
            CreatedAt = createdAt,
            Trace = new TraceContext { Traceparent = TraceParent.ChildOf(e.Trace?.Traceparent, e.EventId, key).Value, Tracestate = e.Trace?.Tracestate },
        };
    }

    private static WorkOrderOperation? FindOperation(WorkOrder order, string operation)
    {
        foreach (var op in order.Operations)
        {
            if (string.Equals(op.OperationNumber, operation, StringComparison.Ordinal))
            {
                return op;
            }
        }

        return null;
    }

    // Posting date: the UTC calendar day of the shop-floor event (plants in other time zones: see docs/pipeline.md).
    private static DateOnly PostingDate(MesEvent e) => DateOnly.FromDateTime(e.OccurredAt.UtcDateTime);
}
