using MesErpStreams.Avro;
using MesErpStreams.Contracts.Common;

namespace MesErpStreams.Contracts.Erp;

/// <summary>
/// Outcome of one ERP posting command (<c>com.meserp.erp.PostingResult</c>, topic <c>erp.posting-results</c>,
/// keyed like the command).
/// </summary>
public sealed record PostingResult : IAvroContract<PostingResult>
{
    /// <summary>The schema, from <c>schemas/erp/PostingResult.avsc</c>.</summary>
    public static Schema Schema => ContractSchemas.Get("erp/PostingResult.avsc");

    /// <summary>Idempotency key of the command.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Kind of the command.</summary>
    public required ErpCommandType CommandType { get; init; }

    /// <summary>Outcome.</summary>
    public required PostingStatus Status { get; init; }

    /// <summary>ERP document number for POSTED and DUPLICATE.</summary>
    public string? ErpDocumentNumber { get; init; }

    /// <summary>Machine-readable reason for REJECTED / DEAD_LETTERED.</summary>
    public string? ReasonCode { get; init; }

    /// <summary>Human-readable reason for REJECTED / DEAD_LETTERED.</summary>
    public string? Reason { get; init; }

    /// <summary>Number of ERP calls made, across retry tiers.</summary>
    public required int Attempts { get; init; }

    /// <summary>Ordering key of the command.</summary>
    public required string OrderKey { get; init; }

    /// <summary>ERP plant code.</summary>
    public required string Plant { get; init; }

    /// <summary>Event ids of the MES events behind the command.</summary>
    public required IReadOnlyList<Guid> SourceEventIds { get; init; }

    /// <summary>When the processor created the command (UTC).</summary>
    public required DateTimeOffset CommandCreatedAt { get; init; }

    /// <summary>When the sink first called the ERP; null when never called.</summary>
    public DateTimeOffset? FirstAttemptAt { get; init; }

    /// <summary>When the outcome was decided (UTC).</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>Trace context; null when not traced.</summary>
    public TraceContext? Trace { get; init; }
}
