using MesErpStreams.Contracts.Erp;

namespace MesErpStreams.Pipeline.Domain;

/// <summary>
/// Deterministic idempotency keys for ERP commands: the same source event(s) and command type always give the same
/// key, so a re-delivered, replayed or retried command can never create a second ERP document.
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>Key of the command of <paramref name="type"/> derived from one event: e.g. <c>OC-3f2a…</c> (32 hex digits).</summary>
    public static string For(ErpCommandType type, Guid sourceEventId) => string.Concat(Prefix(type), "-", sourceEventId.ToString("N"));

    private static string Prefix(ErpCommandType type) => type switch
    {
        ErpCommandType.OrderConfirmation => "OC",
        ErpCommandType.GoodsMovement => "GM",
        ErpCommandType.StockStatusChange => "SS",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no idempotency key for an unknown command type"),
    };
}
