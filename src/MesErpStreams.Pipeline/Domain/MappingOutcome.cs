using MesErpStreams.Contracts.Erp;

namespace MesErpStreams.Pipeline.Domain;

/// <summary>Result of turning one event into an ERP command.</summary>
public readonly record struct MappingOutcome
{
    /// <summary>The command, when mapping succeeded.</summary>
    public ErpPostingCommand? Command { get; private init; }

    /// <summary>Reject reason code (see <see cref="RejectReasons"/>), when the event cannot be posted.</summary>
    public string? RejectReason { get; private init; }

    /// <summary>Human-readable explanation of a reject or of what is missing.</summary>
    public string? Detail { get; private init; }

    /// <summary>
    /// When master data is missing: the master-data key the event waits for, as <c>work-order:plant/order</c> or
    /// <c>material:plant/material</c>.
    /// </summary>
    public string? MissingMasterData { get; private init; }

    /// <summary>A command.</summary>
    public static MappingOutcome Mapped(ErpPostingCommand command) => new() { Command = command };

    /// <summary>A permanent reject.</summary>
    public static MappingOutcome Rejected(string reason, string detail) => new() { RejectReason = reason, Detail = detail };

    /// <summary>Master data has not arrived yet.</summary>
    public static MappingOutcome Missing(string key) => new() { MissingMasterData = key, Detail = $"waiting for {key}" };
}
