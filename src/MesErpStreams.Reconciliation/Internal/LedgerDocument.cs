namespace MesErpStreams.Reconciliation.Internal;

/// <summary>One ERP ledger document as the ledger API returns it.</summary>
internal sealed record LedgerDocument(
    string DocumentNumber,
    string IdempotencyKey,
    string DocumentType,
    string Plant,
    string? OrderNumber,
    string? Material,
    string? Batch,
    string? MovementType,
    decimal Quantity,
    decimal ScrapQuantity,
    string? Unit,
    DateTimeOffset PostedAt)
{
    public const string OrderConfirmation = "PRODUCTION_ORDER_CONFIRMATION";
    public const string GoodsMovement = "GOODS_MOVEMENT";
    public const string StockStatusChange = "STOCK_STATUS_CHANGE";
}
