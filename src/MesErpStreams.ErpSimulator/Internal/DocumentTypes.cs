namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>Document type names stored in the ledger and returned by the API.</summary>
internal static class DocumentTypes
{
    public const string ProductionOrderConfirmation = "PRODUCTION_ORDER_CONFIRMATION";
    public const string GoodsMovement = "GOODS_MOVEMENT";
    public const string StockStatusChange = "STOCK_STATUS_CHANGE";
}
