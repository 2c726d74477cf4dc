namespace MesErpStreams.Contracts.Erp;

/// <summary>Block or unblock stock of a batch (<c>com.meserp.erp.StockStatusChange</c>).</summary>
public sealed record StockStatusChange
{
    /// <summary>Block or unblock.</summary>
    public required StockStatusAction Action { get; init; }

    /// <summary>Material number of the stock.</summary>
    public required string Material { get; init; }

    /// <summary>Batch of the stock.</summary>
    public required string Batch { get; init; }

    /// <summary>Plant of the stock.</summary>
    public required string Plant { get; init; }

    /// <summary>Storage location; null for all storage locations of the plant.</summary>
    public string? StorageLocation { get; init; }

    /// <summary>Quantity in <see cref="BaseUnit"/>; null for the whole batch.</summary>
    public decimal? Quantity { get; init; }

    /// <summary>Base unit of <see cref="Quantity"/>; null when the quantity is null.</summary>
    public string? BaseUnit { get; init; }

    /// <summary>MES hold id that caused the change.</summary>
    public required string HoldId { get; init; }

    /// <summary>Hold reason code.</summary>
    public string? ReasonCode { get; init; }
}
