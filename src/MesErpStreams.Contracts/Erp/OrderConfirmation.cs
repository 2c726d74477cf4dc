namespace MesErpStreams.Contracts.Erp;

/// <summary>Production order confirmation of an operation (<c>com.meserp.erp.OrderConfirmation</c>).</summary>
public sealed record OrderConfirmation
{
    /// <summary>ERP production order number.</summary>
    public required string OrderNumber { get; init; }

    /// <summary>Operation number being confirmed.</summary>
    public required string Operation { get; init; }

    /// <summary>Work center of the operation.</summary>
    public required string WorkCenter { get; init; }

    /// <summary>Good quantity confirmed, in <see cref="Unit"/>.</summary>
    public required decimal YieldQuantity { get; init; }

    /// <summary>Scrap quantity confirmed, in <see cref="Unit"/> (0 when none).</summary>
    public required decimal ScrapQuantity { get; init; }

    /// <summary>Unit of the quantities (the order unit).</summary>
    public required string Unit { get; init; }

    /// <summary>True for the final confirmation of the operation.</summary>
    public required bool FinalConfirmation { get; init; }

    /// <summary>Reason for variance when <see cref="ScrapQuantity"/> &gt; 0.</summary>
    public string? ReasonCode { get; init; }

    /// <summary>Batch produced.</summary>
    public string? Batch { get; init; }

    /// <summary>Posting date in the plant's calendar.</summary>
    public required DateOnly PostingDate { get; init; }
}
