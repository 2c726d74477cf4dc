using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Reconciliation.Internal;

namespace MesErpStreams.Reconciliation.UnitTests;

/// <summary>Builds consistent reconciliation inputs: events, the commands the pipeline made of them, results and ledger documents.</summary>
internal sealed class Scenario
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    private long _seq;
    private long _doc;

    public List<ObservedEvent> Events { get; } = [];

    public Dictionary<Guid, string> DeadLetters { get; } = [];

    public List<ErpPostingCommand> Commands { get; } = [];

    public List<PostingResult> Results { get; } = [];

    public List<LedgerDocument> Ledger { get; } = [];

    public DateTimeOffset Snapshot { get; set; } = T0.AddHours(2);

    public Dictionary<string, RetryState> Retrying { get; } = [];

    public Dictionary<string, string> CommandOrigins { get; } = [];

    public ReconcileInput Input => new(Events, DeadLetters, Commands, Results, Ledger, Snapshot, Retrying, CommandOrigins);

    public ReconciliationReport Reconcile(ReconcileScope? scope = null) => Reconciler.Reconcile(Input, scope ?? new ReconcileScope(), Snapshot);

    /// <summary>A production confirmation of <paramref name="yield"/> PC, published a second after it occurred.</summary>
    public MesEvent Confirmation(string plant, string order, decimal yield, DateTimeOffset? at = null) =>
        Add(MesEvent.From(new ProductionConfirmation
        {
            EventId = Guid.NewGuid(), Plant = plant, SourceSystem = "MES", OccurredAt = at ?? Next(), Sequence = ++_seq, WorkOrder = order,
            Operation = "0010", WorkCenter = "WC1", YieldQuantity = new Quantity { Value = yield, Unit = "PC" }, FinalConfirmation = false,
        }));

    public MesEvent Consumption(string plant, string order, string material, decimal qty, string unit = "KG") =>
        Add(MesEvent.From(new MaterialConsumption
        {
            EventId = Guid.NewGuid(), Plant = plant, SourceSystem = "MES", OccurredAt = Next(), Sequence = ++_seq, WorkOrder = order,
            Operation = "0010", ComponentMaterial = material, Quantity = new Quantity { Value = qty, Unit = unit },
        }));

    public MesEvent Hold(string plant, string order, string material, string batch, bool placed, decimal qty) =>
        Add(MesEvent.From(new QualityHold
        {
            EventId = Guid.NewGuid(), Plant = plant, SourceSystem = "MES", OccurredAt = Next(), Sequence = ++_seq, HoldId = "H-" + batch,
            Action = placed ? QualityHoldAction.Placed : QualityHoldAction.Released, Material = material, Batch = batch,
            Quantity = new Quantity { Value = qty, Unit = "KG" }, ReasonCode = "QC", WorkOrder = order,
        }));

    /// <summary>The command the pipeline makes of <paramref name="e"/> (quantities already in base units: 1:1 here).</summary>
    public ErpPostingCommand CommandFor(MesEvent e, decimal? quantity = null)
    {
        var q = quantity ?? e.Quantity!.Value;
        var type = Reconciler.CommandTypeOf(e.Kind);
        var c = new ErpPostingCommand
        {
            IdempotencyKey = IdempotencyKeys.For(type, e.EventId), CommandType = type, SourceEventIds = [e.EventId], Plant = e.Plant,
            OrderKey = e.OrderingKey, CreatedAt = e.OccurredAt.AddSeconds(1),
            OrderConfirmation = type == ErpCommandType.OrderConfirmation
                ? new OrderConfirmation { OrderNumber = e.WorkOrder!, Operation = "0010", WorkCenter = "WC1", YieldQuantity = q, ScrapQuantity = 0m, Unit = "PC", FinalConfirmation = false, PostingDate = DateOnly.FromDateTime(e.OccurredAt.UtcDateTime) }
                : null,
            GoodsMovement = type == ErpCommandType.GoodsMovement
                ? new GoodsMovement { MovementType = GoodsMovement.GoodsIssueToOrder, Material = e.Material!, Quantity = q, BaseUnit = e.Quantity!.Unit, Plant = e.Plant, StorageLocation = "0001", OrderNumber = e.WorkOrder, PostingDate = DateOnly.FromDateTime(e.OccurredAt.UtcDateTime) }
                : null,
            StockStatusChange = type == ErpCommandType.StockStatusChange
                ? new StockStatusChange { Action = e.Payload is QualityHold { Action: QualityHoldAction.Released } ? StockStatusAction.Unblock : StockStatusAction.Block, Material = e.Material!, Batch = e.Batch!, Plant = e.Plant, Quantity = q, BaseUnit = e.Quantity!.Unit, HoldId = "H-" + e.Batch }
                : null,
        };
        Commands.Add(c);
        return c;
    }

    public PostingResult ResultFor(ErpPostingCommand c, PostingStatus status = PostingStatus.Posted, string? reason = null)
    {
        var r = new PostingResult
        {
            IdempotencyKey = c.IdempotencyKey, CommandType = c.CommandType, Status = status, ErpDocumentNumber = status == PostingStatus.Posted ? $"D{_doc + 1}" : null,
            ReasonCode = reason, Attempts = 1, OrderKey = c.OrderKey, Plant = c.Plant, SourceEventIds = c.SourceEventIds, CommandCreatedAt = c.CreatedAt,
            CompletedAt = c.CreatedAt.AddSeconds(1),
        };
        Results.Add(r);
        return r;
    }

    public LedgerDocument LedgerFor(ErpPostingCommand c, decimal? quantity = null)
    {
        var no = $"D{++_doc}";
        LedgerDocument d = c switch
        {
            { OrderConfirmation: { } oc } => new(no, c.IdempotencyKey, LedgerDocument.OrderConfirmation, c.Plant, oc.OrderNumber, null, oc.Batch, null, quantity ?? oc.YieldQuantity, oc.ScrapQuantity, oc.Unit, c.CreatedAt.AddSeconds(1)),
            { GoodsMovement: { } gm } => new(no, c.IdempotencyKey, LedgerDocument.GoodsMovement, c.Plant, gm.OrderNumber, gm.Material, gm.Batch, gm.MovementType, quantity ?? gm.Quantity, 0m, gm.BaseUnit, c.CreatedAt.AddSeconds(1)),
            { StockStatusChange: { } ss } => new(no, c.IdempotencyKey, LedgerDocument.StockStatusChange, c.Plant, null, ss.Material, ss.Batch, ss.Action == StockStatusAction.Block ? "BLOCK" : "UNBLOCK", quantity ?? ss.Quantity ?? 0m, 0m, ss.BaseUnit, c.CreatedAt.AddSeconds(1)),
            _ => throw new ArgumentException("command without body", nameof(c)),
        };
        Ledger.Add(d);
        return d;
    }

    /// <summary>Event → command → POSTED result → ledger document.</summary>
    public ErpPostingCommand Posted(MesEvent e)
    {
        var c = CommandFor(e);
        ResultFor(c);
        LedgerFor(c);
        return c;
    }

    private MesEvent Add(MesEvent e)
    {
        Events.Add(new ObservedEvent(e, e.OccurredAt.AddSeconds(1)));
        return e;
    }

    private DateTimeOffset Next() => T0.AddMinutes(_seq);
}
