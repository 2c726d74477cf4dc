using System.Text.Json;
using System.Text.Json.Serialization;

namespace MesErpStreams.Sink.Erp.Internal;

/// <summary>Production order confirmation body of the simulator API.</summary>
internal sealed record ConfirmationBody(string Plant, string OrderNumber, string Operation, string WorkCenter, decimal YieldQuantity,
    decimal ScrapQuantity, string Unit, bool FinalConfirmation, string? Batch, string? ReasonCode, DateOnly PostingDate);

/// <summary>Goods movement (material document) body.</summary>
internal sealed record GoodsMovementBody(string Plant, string MovementType, string Material, decimal Quantity, string Unit, string? OrderNumber,
    string? Batch, string? StorageLocation, string? CostCenter, string? ReasonCode, DateOnly PostingDate);

/// <summary>Stock status change body.</summary>
internal sealed record StockStatusBody(string Plant, string Material, string Batch, string Action, decimal? Quantity, string? Unit,
    string? StorageLocation, string HoldId, string? Reason);

/// <summary>Success answer.</summary>
internal sealed record DocumentAnswer(string? DocumentNumber, bool Duplicate);

/// <summary>Error answer.</summary>
internal sealed record ErrorAnswer(string? Error, string? Message, string? Field);

/// <summary>Answer of the batch endpoint (OData JSON batch shape): one response per request, matched by id.</summary>
internal sealed record BatchAnswer(List<BatchItemAnswer>? Responses);

/// <summary>One response of a batch answer; <see cref="Body"/> is a <see cref="DocumentAnswer"/> or an <see cref="ErrorAnswer"/>.</summary>
internal sealed record BatchItemAnswer(string? Id, int Status, JsonElement? Body);

/// <summary>OAuth2 token answer.</summary>
internal sealed record TokenAnswer(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConfirmationBody))]
[JsonSerializable(typeof(GoodsMovementBody))]
[JsonSerializable(typeof(StockStatusBody))]
[JsonSerializable(typeof(DocumentAnswer))]
[JsonSerializable(typeof(ErrorAnswer))]
[JsonSerializable(typeof(TokenAnswer))]
[JsonSerializable(typeof(BatchAnswer))]
internal sealed partial class ErpWireJsonContext : JsonSerializerContext;
