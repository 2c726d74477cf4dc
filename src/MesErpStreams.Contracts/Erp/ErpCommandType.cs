using MesErpStreams.Avro;

namespace MesErpStreams.Contracts.Erp;

/// <summary>Kind of ERP posting (<c>com.meserp.erp.ErpCommandType</c>).</summary>
public enum ErpCommandType
{
    /// <summary>A kind this reader does not know (added by a newer writer): dead-letter, never guess.</summary>
    [AvroEnumSymbol("UNKNOWN")] Unknown = 0,

    /// <summary>Production order confirmation; body <see cref="ErpPostingCommand.OrderConfirmation"/>.</summary>
    [AvroEnumSymbol("ORDER_CONFIRMATION")] OrderConfirmation,

    /// <summary>Inventory goods movement; body <see cref="ErpPostingCommand.GoodsMovement"/>.</summary>
    [AvroEnumSymbol("GOODS_MOVEMENT")] GoodsMovement,

    /// <summary>Block / unblock stock; body <see cref="ErpPostingCommand.StockStatusChange"/>.</summary>
    [AvroEnumSymbol("STOCK_STATUS_CHANGE")] StockStatusChange,
}
