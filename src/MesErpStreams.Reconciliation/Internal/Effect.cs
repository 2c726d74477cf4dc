using MesErpStreams.Contracts.Erp;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>What a posting does to an order's figures: a quantity of one measure (of a material, for consumption and holds).</summary>
internal readonly record struct Effect(Measure Measure, string? Material, decimal Quantity, string? Unit)
{
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Measure.Label()}{(Material is null ? "" : " " + Material)} {Quantity.Normalize()} {Unit}").TrimEnd();

    /// <summary>The effects of a posting command (quantities in the ERP base unit).</summary>
    public static Effect[] Of(ErpPostingCommand c) => c switch
    {
        { OrderConfirmation: { } oc } => Confirmation(oc.YieldQuantity, oc.ScrapQuantity, oc.Unit),
        { GoodsMovement: { } gm } => [new(MovementMeasure(gm.MovementType), gm.Material, gm.Quantity, gm.BaseUnit)],
        { StockStatusChange: { } ss } => [new(ss.Action == StockStatusAction.Unblock ? Measure.HoldReleased : Measure.HoldPlaced, ss.Material, ss.Quantity ?? 0m, ss.BaseUnit)],
        _ => [],
    };

    /// <summary>The effects of an ERP ledger document.</summary>
    public static Effect[] Of(LedgerDocument d) => d.DocumentType switch
    {
        LedgerDocument.OrderConfirmation => Confirmation(d.Quantity, d.ScrapQuantity, d.Unit),
        LedgerDocument.GoodsMovement => [new(MovementMeasure(d.MovementType), d.Material, d.Quantity, d.Unit)],
        LedgerDocument.StockStatusChange => [new(d.MovementType == "UNBLOCK" ? Measure.HoldReleased : Measure.HoldPlaced, d.Material, d.Quantity, d.Unit)],
        _ => [new(Measure.Other, d.Material, d.Quantity, d.Unit)],
    };

    /// <summary>The effect an event asks for, in the unit the MES reported (used when no command exists to say better).</summary>
    public static Effect[] Reported(MesEvent e)
    {
        var q = e.Quantity?.Value ?? 0m;
        var u = e.Quantity?.Unit;
        return e.Kind switch
        {
            EventKind.ProductionConfirmation => [new(Measure.Confirmed, null, q, u)],
            EventKind.ScrapReport => [new(Measure.Scrapped, null, q, u)],
            EventKind.MaterialConsumption => [new(Measure.Consumed, e.Material, q, u)],
            _ => [new(e.Payload is Contracts.Mes.QualityHold { Action: Contracts.Mes.QualityHoldAction.Released } ? Measure.HoldReleased : Measure.HoldPlaced, e.Material, q, u)],
        };
    }

    /// <summary>True when both lists hold the same effects (decimal equality: 2.50 equals 2.5), in any order.</summary>
    public static bool Same(IReadOnlyList<Effect> a, IReadOnlyList<Effect> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        var left = new List<Effect>(b);
        foreach (var x in a)
        {
            var i = left.FindIndex(y => y.Measure == x.Measure && y.Quantity == x.Quantity
                                        && string.Equals(y.Material, x.Material, StringComparison.Ordinal) && string.Equals(y.Unit, x.Unit, StringComparison.Ordinal));
            if (i < 0)
            {
                return false;
            }

            left.RemoveAt(i);
        }

        return true;
    }

    /// <summary>Renders effects for a report ("confirmed 12 PC, scrapped 0 PC").</summary>
    public static string Describe(IReadOnlyList<Effect>? effects) => effects is null or { Count: 0 } ? "-" : string.Join(", ", effects);

    /// <summary>Yield and scrap of a confirmation; a zero side is left out (a final confirmation of nothing stays as confirmed 0).</summary>
    private static Effect[] Confirmation(decimal yield, decimal scrap, string? unit) => (yield, scrap) switch
    {
        (_, 0m) => [new(Measure.Confirmed, null, yield, unit)],
        (0m, _) => [new(Measure.Scrapped, null, scrap, unit)],
        _ => [new(Measure.Confirmed, null, yield, unit), new(Measure.Scrapped, null, scrap, unit)],
    };

    private static Measure MovementMeasure(string? movementType) => movementType switch
    {
        GoodsMovement.GoodsIssueToOrder => Measure.Consumed,
        GoodsMovement.Scrapping => Measure.Scrapped,
        _ => Measure.Other,
    };
}
