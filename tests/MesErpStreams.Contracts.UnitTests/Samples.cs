using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Contracts.UnitTests;

/// <summary>One fully populated value of every contract type (every optional field set).</summary>
internal static class Samples
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 4, 30, 15, 123, TimeSpan.Zero);
    private static readonly TraceContext Trace = new() { Traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Tracestate = "vendor=x" };

    public static ProductionConfirmation ProductionConfirmation { get; } = new()
    {
        EventId = Guid.Parse("0b7c3b0e-3f5c-4f7e-9a51-0d3c5a7e8f10"), Plant = "1000", SourceSystem = "mes-line-7", OccurredAt = At,
        Sequence = 42, Trace = Trace, WorkOrder = "1000123", Operation = "0010", WorkCenter = "WC-ASSY",
        YieldQuantity = new Quantity { Value = 12.5m, Unit = "PC" }, FinalConfirmation = true, Batch = "B-1", Shift = "A",
    };

    public static ScrapReport ScrapReport { get; } = new()
    {
        EventId = Guid.NewGuid(), Plant = "1000", SourceSystem = "mes-line-7", OccurredAt = At, Sequence = 43, Trace = Trace,
        WorkOrder = "1000123", Operation = "0020", WorkCenter = "WC-PAINT", Material = "FG-100",
        Quantity = new Quantity { Value = 0.000001m, Unit = "KG" }, ReasonCode = "S01", Batch = "B-1",
    };

    public static MaterialConsumption MaterialConsumption { get; } = new()
    {
        EventId = Guid.NewGuid(), Plant = "1000", SourceSystem = "mes-line-7", OccurredAt = At, Sequence = 44,
        WorkOrder = "1000123", Operation = "0010", ComponentMaterial = "RM-7",
        Quantity = new Quantity { Value = 999999999999.999999m, Unit = "M" }, Batch = "C-9", StorageLocation = "0001",
    };

    public static QualityHold QualityHold { get; } = new()
    {
        EventId = Guid.NewGuid(), Plant = "1000", SourceSystem = "qms", OccurredAt = At, Sequence = 1, HoldId = "H-1",
        Action = QualityHoldAction.Released, Material = "FG-100", Batch = "B-1", Quantity = new Quantity { Value = 3m, Unit = "PC" },
        ReasonCode = "Q7", Reason = "dimension out of tolerance", StorageLocation = "0002", WorkOrder = "1000123",
    };

    public static WorkOrder WorkOrder { get; } = new()
    {
        OrderNumber = "1000123", Plant = "1000", Material = "FG-100", PlannedQuantity = 100m, PlannedUnit = "PC",
        Status = WorkOrderStatus.PartiallyConfirmed,
        Operations =
        [
            new WorkOrderOperation { OperationNumber = "0010", WorkCenter = "WC-ASSY", CostCenter = "4711", Description = "Assembly", ControlKey = "PP01" },
            new WorkOrderOperation { OperationNumber = "0020", WorkCenter = "WC-PAINT", CostCenter = "4712" },
        ],
        Components = [new WorkOrderComponent { Material = "RM-7", RequiredQuantity = 250.5m, Unit = "M", OperationNumber = "0010", StorageLocation = "0001", Backflush = true }],
        ReceivingStorageLocation = "0100", OrderType = "PP01", ScheduledStart = At, ScheduledFinish = At.AddDays(2), ChangedAt = At,
    };

    public static Material Material { get; } = new()
    {
        MaterialNumber = "FG-100", Plant = "1000", Description = "Widget", BaseUnit = "PC",
        AlternativeUnits = [new UnitConversion { Unit = "BOX", Numerator = 12, Denominator = 1 }, new UnitConversion { Unit = "KG", Numerator = 4, Denominator = 3 }],
        BatchManaged = true, DefaultStorageLocation = "0001", MaterialType = "FERT", ChangedAt = At,
    };

    public static ErpPostingCommand GoodsMovementCommand { get; } = new()
    {
        IdempotencyKey = "gm:0b7c3b0e", CommandType = ErpCommandType.GoodsMovement, SourceEventIds = [Guid.NewGuid(), Guid.NewGuid()],
        Plant = "1000", OrderKey = "1000/1000123", CreatedAt = At, Trace = Trace,
        GoodsMovement = new GoodsMovement
        {
            MovementType = GoodsMovement.GoodsIssueToOrder, Material = "RM-7", Quantity = 2.25m, BaseUnit = "M", Batch = "C-9", Plant = "1000",
            StorageLocation = "0001", OrderNumber = "1000123", CostCenter = "4711", ReasonCode = "R1", PostingDate = new DateOnly(2026, 11, 22),
        },
    };

    public static ErpPostingCommand ConfirmationCommand { get; } = new()
    {
        IdempotencyKey = "oc:1", CommandType = ErpCommandType.OrderConfirmation, SourceEventIds = [Guid.NewGuid()],
        Plant = "1000", OrderKey = "1000/1000123", CreatedAt = At,
        OrderConfirmation = new OrderConfirmation
        {
            OrderNumber = "1000123", Operation = "0010", WorkCenter = "WC-ASSY", YieldQuantity = 10m, ScrapQuantity = 0.5m, Unit = "PC",
            FinalConfirmation = false, ReasonCode = "S01", Batch = "B-1", PostingDate = new DateOnly(2026, 11, 21),
        },
    };

    public static ErpPostingCommand StockCommand { get; } = new()
    {
        IdempotencyKey = "ss:1", CommandType = ErpCommandType.StockStatusChange, SourceEventIds = [Guid.NewGuid()],
        Plant = "1000", OrderKey = "1000/FG-100/B-1", CreatedAt = At,
        StockStatusChange = new StockStatusChange
        {
            Action = StockStatusAction.Block, Material = "FG-100", Batch = "B-1", Plant = "1000", StorageLocation = "0002",
            Quantity = 3m, BaseUnit = "PC", HoldId = "H-1", ReasonCode = "Q7",
        },
    };

    public static PostingResult PostingResult { get; } = new()
    {
        IdempotencyKey = "gm:0b7c3b0e", CommandType = ErpCommandType.GoodsMovement, Status = PostingStatus.DeadLettered,
        ErpDocumentNumber = "4900000001", ReasonCode = "RETRIES_EXHAUSTED", Reason = "HTTP 503 x 4", Attempts = 4,
        OrderKey = "1000/1000123", Plant = "1000", SourceEventIds = [Guid.NewGuid()], CommandCreatedAt = At,
        FirstAttemptAt = At.AddSeconds(1), CompletedAt = At.AddMinutes(5), Trace = Trace,
    };
}
