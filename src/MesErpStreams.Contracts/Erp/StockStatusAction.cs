using MesErpStreams.Avro;

namespace MesErpStreams.Contracts.Erp;

/// <summary>Direction of a stock status change (<c>com.meserp.erp.StockStatusAction</c>).</summary>
public enum StockStatusAction
{
    /// <summary>An action this reader does not know.</summary>
    [AvroEnumSymbol("UNKNOWN")] Unknown = 0,

    /// <summary>Move the stock to blocked.</summary>
    [AvroEnumSymbol("BLOCK")] Block,

    /// <summary>Move the stock back to unrestricted.</summary>
    [AvroEnumSymbol("UNBLOCK")] Unblock,
}
