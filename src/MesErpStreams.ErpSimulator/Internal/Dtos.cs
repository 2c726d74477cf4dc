using System.Text.Json;
using System.Text.Json.Serialization;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>Body of <c>POST /api/erp/v1/production-order-confirmations</c> (shaped like an order confirmation API).</summary>
internal sealed record ProductionOrderConfirmationRequest(
    string? Plant,
    string? OrderNumber,
    string? Operation,
    string? WorkCenter,
    decimal? YieldQuantity,
    decimal? ScrapQuantity,
    string? Unit,
    bool FinalConfirmation,
    string? Batch,
    DateTimeOffset? PostingTime);

/// <summary>Body of <c>POST /api/erp/v1/goods-movements</c> (shaped like a material document API).</summary>
internal sealed record GoodsMovementRequest(
    string? Plant,
    string? MovementType,
    string? Material,
    decimal? Quantity,
    string? Unit,
    string? OrderNumber,
    string? Batch,
    string? StorageLocation,
    string? ReasonCode,
    DateTimeOffset? PostingTime);

/// <summary>Body of <c>POST /api/erp/v1/stock-status-changes</c> (block / unblock a batch).</summary>
internal sealed record StockStatusChangeRequest(
    string? Plant,
    string? Material,
    string? Batch,
    string? Action,
    decimal? Quantity,
    string? Unit,
    string? HoldId,
    string? Reason,
    DateTimeOffset? PostingTime);

/// <summary>Answer to a posting: the ERP document (new or, with <see cref="Duplicate"/>, the original one).</summary>
internal sealed record PostingResponse(
    string DocumentNumber,
    string IdempotencyKey,
    string DocumentType,
    bool Duplicate,
    DateTimeOffset PostedAt,
    string SequenceKey,
    long Sequence);

/// <summary>Error body of every 4xx/5xx answer.</summary>
internal sealed record ErrorResponse(string Error, string Message, string? Field = null, string? DocumentNumber = null);

/// <summary>One ledger row as the query endpoints return it.</summary>
internal sealed record LedgerEntry(
    string DocumentNumber,
    string IdempotencyKey,
    string DocumentType,
    string Plant,
    string? OrderNumber,
    string? Material,
    string? Batch,
    string? MovementType,
    decimal Quantity,
    decimal ScrapQuantity,
    string? Unit,
    string SequenceKey,
    long Sequence,
    DateTimeOffset PostedAt,
    string Payload);

/// <summary>Totals of one (plant, sequence key, document type) group.</summary>
internal sealed record LedgerTotal(string Plant, string SequenceKey, string DocumentType, long Documents, decimal Quantity, decimal ScrapQuantity);

/// <summary>One request seen by a posting endpoint (journal for tests and diagnostics).</summary>
internal sealed record JournalEntry(DateTimeOffset ReceivedAt, string Path, string? IdempotencyKey, int Status);

/// <summary>
/// Body of <c>POST /api/erp/v1/batch</c> (OData 4.01 JSON batch shape, one change set per document). The answer is
/// written by <see cref="BatchResponseWriter"/> (its item bodies are a <see cref="PostingResponse"/> or an
/// <see cref="ErrorResponse"/>, so it has no record of its own).
/// </summary>
internal sealed record BatchRequest(List<BatchItemRequest?>? Requests);

/// <summary>One posting of a batch: <see cref="Body"/> is exactly the body the single endpoint named by <see cref="Url"/> takes.</summary>
internal sealed record BatchItemRequest(
    string? Id,
    string? Method,
    string? Url,
    Dictionary<string, string?>? Headers,
    List<string?>? DependsOn,
    JsonElement? Body);

/// <summary>Source-generated JSON metadata (no reflection at run time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProductionOrderConfirmationRequest))]
[JsonSerializable(typeof(GoodsMovementRequest))]
[JsonSerializable(typeof(StockStatusChangeRequest))]
[JsonSerializable(typeof(PostingResponse))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(LedgerEntry))]
[JsonSerializable(typeof(List<LedgerEntry>))]
[JsonSerializable(typeof(List<LedgerTotal>))]
[JsonSerializable(typeof(List<JournalEntry>))]
[JsonSerializable(typeof(FaultOptions))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class ErpJsonContext : JsonSerializerContext;

/// <summary>Body of <c>/health</c>.</summary>
internal sealed record HealthResponse(string Status, long Documents);
