using System.Globalization;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Edge.Internal;

/// <summary>Plants, materials, work orders and their event scripts.</summary>
internal sealed partial class TrafficGenerator
{
    private const int FinishedGoods = 3;
    private const int Components = 4;

    private List<Material> Materials(string plant)
    {
        var list = new List<Material>();
        var changed = _clock.AddDays(-1);
        for (var i = 1; i <= FinishedGoods; i++)
        {
            list.Add(new Material
            {
                MaterialNumber = $"FG-{i:D3}", Plant = plant, Description = $"Finished good {i}", BaseUnit = "PC",
                AlternativeUnits = [new UnitConversion { Unit = "BOX", Numerator = 10 * i, Denominator = 1 }],
                BatchManaged = true, DefaultStorageLocation = "FG01", MaterialType = "FERT", ChangedAt = changed,
            });
        }

        for (var i = 1; i <= Components; i++)
        {
            list.Add(new Material
            {
                MaterialNumber = $"RM-{i:D3}", Plant = plant, Description = $"Component {i}", BaseUnit = "KG",
                AlternativeUnits = [new UnitConversion { Unit = "G", Numerator = 1, Denominator = 1000 }],
                BatchManaged = i % 2 == 0, DefaultStorageLocation = "RM01", MaterialType = "ROH", ChangedAt = changed,
            });
        }

        return list;
    }

    private Order NewOrder(Plant plant)
    {
        _orderCounter++;
        var number = "4" + plant.Code[0] + _orderCounter.ToString("D6", CultureInfo.InvariantCulture);
        var fg = $"FG-{_rng.Next(1, FinishedGoods + 1):D3}";
        var planned = (decimal)(_rng.Next(10, 101) * 10);
        var opCount = _rng.Next(2, 5);
        var ops = Enumerable.Range(1, opCount).Select(i => new WorkOrderOperation
        {
            OperationNumber = (i * 10).ToString("D4", CultureInfo.InvariantCulture),
            WorkCenter = $"WC-{plant.Code}-{i}", CostCenter = $"CC-{plant.Code}-{i}", ControlKey = "PP01",
        }).ToList();
        var components = Enumerable.Range(1, Components).Where(_ => _rng.Next(2) == 0).Select(i => new WorkOrderComponent
        {
            Material = $"RM-{i:D3}", RequiredQuantity = Amount(1, 5, 2), Unit = "KG", OperationNumber = ops[0].OperationNumber,
            StorageLocation = "RM01", Backflush = false,
        }).ToList();
        var master = new WorkOrder
        {
            OrderNumber = number, Plant = plant.Code, Material = fg, PlannedQuantity = planned, PlannedUnit = "PC",
            Status = WorkOrderStatus.Released, Operations = ops, Components = components, ReceivingStorageLocation = "FG01",
            OrderType = "PP01", ScheduledStart = _clock, ScheduledFinish = _clock.AddHours(8), ChangedAt = _clock,
        };
        return new Order(master, Script(plant, master));
    }

    /// <summary>For each operation: yield in 2-4 confirmations (the last one of the last operation final), scrap now and
    /// then, and at the first operation the components consumed per the BOM; after the final confirmation maybe a hold.</summary>
    private Queue<Func<TrafficGenerator, object>> Script(Plant plant, WorkOrder order)
    {
        var script = new Queue<Func<TrafficGenerator, object>>();
        var batch = "B" + order.OrderNumber;
        var source = _o.SourceSystem + "-" + plant.Code;
        for (var op = 0; op < order.Operations.Count; op++)
        {
            var operation = order.Operations[op];
            var chunks = _rng.Next(2, 5);
            var remaining = order.PlannedQuantity;
            for (var c = 0; c < chunks; c++)
            {
                var lastChunk = c == chunks - 1;
                var qty = lastChunk ? remaining : Math.Max(1, decimal.Floor(remaining / (chunks - c)));
                remaining -= qty;
                var final = lastChunk && op == order.Operations.Count - 1;
                var inBoxes = qty % 10 == 0 && _rng.Next(4) == 0;
                var yieldQty = inBoxes ? new Quantity { Value = qty / (10 * int.Parse(order.Material[3..], CultureInfo.InvariantCulture)), Unit = "BOX" } : new Quantity { Value = qty, Unit = "PC" };
                if (inBoxes && yieldQty.Value != decimal.Round(yieldQty.Value, 6))
                {
                    yieldQty = new Quantity { Value = qty, Unit = "PC" };
                }

                var shift = Shifts[_rng.Next(Shifts.Length)];
                script.Enqueue(g => new ProductionConfirmation
                {
                    EventId = g.NextGuid(), Plant = plant.Code, SourceSystem = source, OccurredAt = g._clock, Sequence = ++plant.Sequence,
                    WorkOrder = order.OrderNumber, Operation = operation.OperationNumber, WorkCenter = operation.WorkCenter,
                    YieldQuantity = yieldQty, FinalConfirmation = final, Batch = batch, Shift = shift,
                });
                if (op == 0)
                {
                    foreach (var component in order.Components)
                    {
                        var consumed = component.RequiredQuantity * qty;
                        var inGrams = _rng.Next(3) == 0;
                        var componentBatch = int.Parse(component.Material[3..], CultureInfo.InvariantCulture) % 2 == 0 ? "C" + order.OrderNumber : null;
                        script.Enqueue(g => new MaterialConsumption
                        {
                            EventId = g.NextGuid(), Plant = plant.Code, SourceSystem = source, OccurredAt = g._clock, Sequence = ++plant.Sequence,
                            WorkOrder = order.OrderNumber, Operation = operation.OperationNumber, ComponentMaterial = component.Material,
                            Quantity = inGrams ? new Quantity { Value = consumed * 1000, Unit = "G" } : new Quantity { Value = consumed, Unit = "KG" },
                            Batch = componentBatch,
                        });
                    }
                }

                if (_rng.NextDouble() < _o.ScrapRate)
                {
                    var scrap = (decimal)_rng.Next(1, 6);
                    var reason = ScrapReasons[_rng.Next(ScrapReasons.Length)];
                    script.Enqueue(g => new ScrapReport
                    {
                        EventId = g.NextGuid(), Plant = plant.Code, SourceSystem = source, OccurredAt = g._clock, Sequence = ++plant.Sequence,
                        WorkOrder = order.OrderNumber, Operation = operation.OperationNumber, WorkCenter = operation.WorkCenter,
                        Material = order.Material, Quantity = new Quantity { Value = scrap, Unit = "PC" }, ReasonCode = reason, Batch = batch,
                    });
                }
            }
        }

        if (_rng.NextDouble() < _o.HoldRate)
        {
            var holdId = "QH-" + order.OrderNumber;
            var reason = HoldReasons[_rng.Next(HoldReasons.Length)];
            var held = order.PlannedQuantity;
            script.Enqueue(g => Hold(g, plant, source, holdId, QualityHoldAction.Placed, order, batch, held, reason));
            script.Enqueue(g => Hold(g, plant, source, holdId, QualityHoldAction.Released, order, batch, held, reason));
        }

        return script;
    }

    private static QualityHold Hold(TrafficGenerator g, Plant plant, string source, string holdId, QualityHoldAction action, WorkOrder order, string batch, decimal qty, string reason) => new()
    {
        EventId = g.NextGuid(), Plant = plant.Code, SourceSystem = source, OccurredAt = g._clock, Sequence = ++plant.Sequence,
        HoldId = holdId, Action = action, Material = order.Material, Batch = batch, Quantity = new Quantity { Value = qty, Unit = "PC" },
        ReasonCode = reason, StorageLocation = "FG01", WorkOrder = order.OrderNumber,
    };

    private sealed class Plant(string code, int activeOrders)
    {
        public string Code { get; } = code;

        public Order?[] Orders { get; } = new Order?[activeOrders];

        public long Sequence { get; set; }
    }

    private sealed record Order(WorkOrder Master, Queue<Func<TrafficGenerator, object>> Script);
}
