namespace MesErpStreams.Contracts.Erp;

/// <summary>Inventory goods movement, quantity in the base unit (<c>com.meserp.erp.GoodsMovement</c>).</summary>
public sealed record GoodsMovement
{
    /// <summary>Movement type code used for goods issue to an order (consumption).</summary>
    public const string GoodsIssueToOrder = "261";

    /// <summary>Movement type code used for scrapping from unrestricted stock.</summary>
    public const string Scrapping = "551";

    /// <summary>ERP movement type code (261 goods issue to order, 551 scrapping, ...).</summary>
    public required string MovementType { get; init; }

    /// <summary>Material number moved.</summary>
    public required string Material { get; init; }

    /// <summary>Quantity moved, in <see cref="BaseUnit"/>.</summary>
    public required decimal Quantity { get; init; }

    /// <summary>The material's base unit.</summary>
    public required string BaseUnit { get; init; }

    /// <summary>Batch moved (required for batch-managed materials).</summary>
    public string? Batch { get; init; }

    /// <summary>Plant of the stock.</summary>
    public required string Plant { get; init; }

    /// <summary>Storage location of the stock.</summary>
    public required string StorageLocation { get; init; }

    /// <summary>Production order the movement is booked to (261/262/101).</summary>
    public string? OrderNumber { get; init; }

    /// <summary>Cost center the movement is booked to (551/552).</summary>
    public string? CostCenter { get; init; }

    /// <summary>Reason for movement code.</summary>
    public string? ReasonCode { get; init; }

    /// <summary>Posting date in the plant's calendar.</summary>
    public required DateOnly PostingDate { get; init; }
}
