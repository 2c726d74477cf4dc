namespace MesErpStreams.Contracts.Erp.Master;

/// <summary>A component reserved for a work order (<c>com.meserp.erp.master.WorkOrderComponent</c>).</summary>
public sealed record WorkOrderComponent
{
    /// <summary>Component material number.</summary>
    public required string Material { get; init; }

    /// <summary>Required quantity for the whole order, in <see cref="Unit"/>.</summary>
    public required decimal RequiredQuantity { get; init; }

    /// <summary>Unit of <see cref="RequiredQuantity"/>.</summary>
    public required string Unit { get; init; }

    /// <summary>Operation number the component is assigned to.</summary>
    public string? OperationNumber { get; init; }

    /// <summary>Storage location the component is issued from; null for the material's default.</summary>
    public string? StorageLocation { get; init; }

    /// <summary>True when the ERP backflushes the component itself on confirmation.</summary>
    public bool Backflush { get; init; }
}
