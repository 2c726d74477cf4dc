using MesErpStreams.Avro;
using MesErpStreams.Contracts.Common;

namespace MesErpStreams.Contracts.Erp;

/// <summary>
/// A posting the ERP sink must make (<c>com.meserp.erp.ErpPostingCommand</c>, topic <c>erp.posting-commands</c>,
/// keyed by <see cref="OrderKey"/>). Exactly one body is set and it matches <see cref="CommandType"/>
/// (see <see cref="Body"/>).
/// </summary>
public sealed record ErpPostingCommand : IAvroContract<ErpPostingCommand>
{
    /// <summary>The schema, from <c>schemas/erp/ErpPostingCommand.avsc</c>.</summary>
    public static Schema Schema => ContractSchemas.Get("erp/ErpPostingCommand.avsc");

    /// <summary>Deterministic key derived from the source event ids; sent to the ERP so a retry never posts twice.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Which body is set.</summary>
    public required ErpCommandType CommandType { get; init; }

    /// <summary>Event ids of the MES events behind the command (lineage).</summary>
    public required IReadOnlyList<Guid> SourceEventIds { get; init; }

    /// <summary>ERP plant code the posting is made in.</summary>
    public required string Plant { get; init; }

    /// <summary>Ordering key and Kafka message key (plant/order, or plant/material/batch).</summary>
    public required string OrderKey { get; init; }

    /// <summary>When the processor created the command (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Trace context; null when not traced.</summary>
    public TraceContext? Trace { get; init; }

    /// <summary>Body for <see cref="ErpCommandType.OrderConfirmation"/>; null otherwise.</summary>
    public OrderConfirmation? OrderConfirmation { get; init; }

    /// <summary>Body for <see cref="ErpCommandType.GoodsMovement"/>; null otherwise.</summary>
    public GoodsMovement? GoodsMovement { get; init; }

    /// <summary>Body for <see cref="ErpCommandType.StockStatusChange"/>; null otherwise.</summary>
    public StockStatusChange? StockStatusChange { get; init; }

    /// <summary>
    /// The one body that matches <see cref="CommandType"/>, or null when the command is malformed: unknown type,
    /// the matching body missing, or more than one body set. Consumers dead-letter a command whose body is null.
    /// </summary>
    public object? Body
    {
        get
        {
            var set = (OrderConfirmation is null ? 0 : 1) + (GoodsMovement is null ? 0 : 1) + (StockStatusChange is null ? 0 : 1);
            if (set != 1)
            {
                return null;
            }

            return CommandType switch
            {
                ErpCommandType.OrderConfirmation => OrderConfirmation,
                ErpCommandType.GoodsMovement => GoodsMovement,
                ErpCommandType.StockStatusChange => StockStatusChange,
                _ => null,
            };
        }
    }
}
