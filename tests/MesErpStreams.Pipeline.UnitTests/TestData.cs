using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Pipeline.UnitTests;

internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static WorkOrder Order(string number = "1000123", WorkOrderStatus status = WorkOrderStatus.Released, string material = "FG-100") => new()
    {
        OrderNumber = number, Plant = "P100", Material = material, PlannedQuantity = 100m, PlannedUnit = "EA",
        Status = status, ReceivingStorageLocation = "FG01", ChangedAt = Now.AddDays(-1),
        Operations = [new WorkOrderOperation { OperationNumber = "0010", WorkCenter = "WC-A", CostCenter = "CC-4711" },
                      new WorkOrderOperation { OperationNumber = "0020", WorkCenter = "WC-B", CostCenter = "CC-4712" }],
        Components = [new WorkOrderComponent { Material = "RM-7", RequiredQuantity = 50m, Unit = "KG", StorageLocation = "RM01" }],
    };

    public static Material Material(string number = "FG-100", string baseUnit = "EA", bool batch = false, params UnitConversion[] alt) => new()
    {
        MaterialNumber = number, Plant = "P100", BaseUnit = baseUnit, BatchManaged = batch, AlternativeUnits = alt,
        DefaultStorageLocation = "SL01", ChangedAt = Now.AddDays(-1),
    };

    public static ProductionConfirmation Confirmation(decimal qty = 10m, string unit = "EA", string op = "0010", bool final = false, string? batch = null, Guid? id = null) => new()
    {
        EventId = id ?? Guid.NewGuid(), Plant = "P100", SourceSystem = "mes-1", OccurredAt = Now.AddMinutes(-1), Sequence = 1,
        WorkOrder = "1000123", Operation = op, WorkCenter = "WC-A", YieldQuantity = new Quantity { Value = qty, Unit = unit },
        FinalConfirmation = final, Batch = batch, Trace = new TraceContext { Traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    };

    public static ScrapReport Scrap(decimal qty = 2m, string material = "FG-100") => new()
    {
        EventId = Guid.NewGuid(), Plant = "P100", SourceSystem = "mes-1", OccurredAt = Now.AddMinutes(-1), Sequence = 2,
        WorkOrder = "1000123", Operation = "0020", Material = material, Quantity = new Quantity { Value = qty, Unit = "EA" }, ReasonCode = "DMG",
    };

    public static MaterialConsumption Consumption(decimal qty = 1.5m, string unit = "KG", string? batch = "B-1") => new()
    {
        EventId = Guid.NewGuid(), Plant = "P100", SourceSystem = "mes-1", OccurredAt = Now.AddMinutes(-1), Sequence = 3,
        WorkOrder = "1000123", Operation = "0010", ComponentMaterial = "RM-7", Quantity = new Quantity { Value = qty, Unit = unit }, Batch = batch,
    };

    public static QualityHold Hold(QualityHoldAction action = QualityHoldAction.Placed) => new()
    {
        EventId = Guid.NewGuid(), Plant = "P100", SourceSystem = "qms", OccurredAt = Now.AddMinutes(-1), Sequence = 4,
        HoldId = "H-1", Action = action, Material = "RM-7", Batch = "B-1", ReasonCode = "QC",
        Quantity = new Quantity { Value = 500m, Unit = "G" },
    };

    public sealed class MasterData : IMasterData
    {
        public Dictionary<string, WorkOrder> Orders { get; } = [];

        public Dictionary<string, Material> Materials { get; } = [];

        public MasterData With(WorkOrder o)
        {
            Orders[EventKeys.WorkOrder(o.Plant, o.OrderNumber)] = o;
            return this;
        }

        public MasterData With(Material m)
        {
            Materials[EventKeys.Material(m.Plant, m.MaterialNumber)] = m;
            return this;
        }

        public WorkOrder? FindWorkOrder(string plant, string orderNumber) => Orders.GetValueOrDefault(EventKeys.WorkOrder(plant, orderNumber));

        public Material? FindMaterial(string plant, string materialNumber) => Materials.GetValueOrDefault(EventKeys.Material(plant, materialNumber));
    }
}
