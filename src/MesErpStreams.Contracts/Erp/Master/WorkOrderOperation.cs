namespace MesErpStreams.Contracts.Erp.Master;

/// <summary>One operation of a work order's routing (<c>com.meserp.erp.master.WorkOrderOperation</c>).</summary>
public sealed record WorkOrderOperation
{
    /// <summary>Operation number, e.g. 0010.</summary>
    public required string OperationNumber { get; init; }

    /// <summary>Work center that performs the operation.</summary>
    public required string WorkCenter { get; init; }

    /// <summary>Cost center the work center's activities are charged to.</summary>
    public required string CostCenter { get; init; }

    /// <summary>Short text of the operation.</summary>
    public string? Description { get; init; }

    /// <summary>Control key, e.g. PP01.</summary>
    public string? ControlKey { get; init; }
}
