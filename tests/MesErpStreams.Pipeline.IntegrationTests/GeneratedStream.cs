using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Pipeline.IntegrationTests;

/// <summary>
/// A deterministic stream of master data and events with duplicates, late master data, invalid events and one
/// work order whose master record never arrives.
/// </summary>
internal sealed class GeneratedStream
{
    public const string Plant = "P100";

    public GeneratedStream(int seed, int orders, int eventsPerOrder)
    {
        var rnd = new Random(seed);
        var now = DateTimeOffset.UtcNow;
        Materials.Add(new Material { MaterialNumber = "FG-1", Plant = Plant, BaseUnit = "EA", BatchManaged = false, ChangedAt = now,
            AlternativeUnits = [new UnitConversion { Unit = "BOX", Numerator = 12, Denominator = 1 }] });
        Materials.Add(new Material { MaterialNumber = "RM-1", Plant = Plant, BaseUnit = "KG", BatchManaged = true, ChangedAt = now,
            DefaultStorageLocation = "RM01", AlternativeUnits = [new UnitConversion { Unit = "G", Numerator = 1, Denominator = 1000 }] });
        for (var o = 0; o < orders; o++)
        {
            var order = new WorkOrder
            {
                OrderNumber = $"{100000 + o}", Plant = Plant, Material = "FG-1", PlannedQuantity = 1000m, PlannedUnit = "EA",
                Status = WorkOrderStatus.Released, ReceivingStorageLocation = "FG01", ChangedAt = now,
                Operations = [new WorkOrderOperation { OperationNumber = "0010", WorkCenter = "WC-1", CostCenter = "CC-1" }],
            };
            // Every third order's master record comes late (after its events); the last never comes.
            if (o == orders - 1)
            {
                OrphanOrders.Add(order);
            }
            else if (o % 3 == 0)
            {
                LateOrders.Add(order);
            }
            else
            {
                EarlyOrders.Add(order);
            }

            for (var i = 0; i < eventsPerOrder; i++)
            {
                var seq = Events.Count;
                var occurred = now.AddSeconds(seq - (orders * eventsPerOrder) - 600); // all in the past, whatever the size
                object e = rnd.Next(3) switch
                {
                    0 => new ProductionConfirmation
                    {
                        EventId = Guid.NewGuid(), Plant = Plant, SourceSystem = "mes-it", OccurredAt = occurred, Sequence = seq,
                        WorkOrder = order.OrderNumber, Operation = "0010", WorkCenter = "WC-1", FinalConfirmation = false,
                        YieldQuantity = new Quantity { Value = rnd.Next(1, 5), Unit = rnd.Next(2) == 0 ? "EA" : "BOX" },
                    },
                    1 => new ScrapReport
                    {
                        EventId = Guid.NewGuid(), Plant = Plant, SourceSystem = "mes-it", OccurredAt = occurred, Sequence = seq,
                        WorkOrder = order.OrderNumber, Operation = "0010", Material = "FG-1", ReasonCode = "DMG",
                        Quantity = new Quantity { Value = rnd.Next(1, 3), Unit = "EA" },
                    },
                    _ => new MaterialConsumption
                    {
                        EventId = Guid.NewGuid(), Plant = Plant, SourceSystem = "mes-it", OccurredAt = occurred, Sequence = seq,
                        WorkOrder = order.OrderNumber, Operation = "0010", ComponentMaterial = "RM-1", Batch = "B1",
                        Quantity = new Quantity { Value = rnd.Next(100, 900) + 0.5m, Unit = "G" },
                    },
                };
                Events.Add(e);
                if (rnd.Next(10) == 0)
                {
                    Duplicates.Add(e); // an edge re-send
                }
            }

            // One invalid event per order: negative quantity.
            var invalid = new ProductionConfirmation
            {
                EventId = Guid.NewGuid(), Plant = Plant, SourceSystem = "mes-it", OccurredAt = now, Sequence = Events.Count,
                WorkOrder = order.OrderNumber, Operation = "0010", WorkCenter = "WC-1", FinalConfirmation = false,
                YieldQuantity = new Quantity { Value = -1m, Unit = "EA" },
            };
            Events.Add(invalid);
            Invalid.Add(invalid.EventId);
        }
    }

    public List<Material> Materials { get; } = [];

    public List<WorkOrder> EarlyOrders { get; } = [];

    public List<WorkOrder> LateOrders { get; } = [];

    public List<WorkOrder> OrphanOrders { get; } = [];

    public List<object> Events { get; } = [];

    public List<object> Duplicates { get; } = [];

    public HashSet<Guid> Invalid { get; } = [];
}
