using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>A posting endpoint as a batch item addresses it: its name, its single-endpoint path and its body check.</summary>
internal abstract class PostingRoute(string endpoint)
{
    /// <summary>The last path segment, e.g. <c>goods-movements</c> (also the metrics' <c>endpoint</c> tag).</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The single endpoint's path, e.g. <c>/api/erp/v1/goods-movements</c> (the journal's path of a batch item).</summary>
    public string Path { get; } = PostingRoutes.Prefix + endpoint;

    /// <summary>Reads a batch item's body as the single endpoint reads its request body, then validates it.</summary>
    public abstract PostingValidation.Result Validate(JsonElement body, string key);
}

/// <summary>The three posting endpoints by the <c>url</c> a batch item may give.</summary>
internal static class PostingRoutes
{
    public const string Prefix = "/api/erp/v1/";

    /// <summary>Path of the batch endpoint.</summary>
    public const string BatchPath = Prefix + "batch";

    private static readonly PostingRoute[] All =
    [
        new Route<ProductionOrderConfirmationRequest>("production-order-confirmations", ErpJsonContext.Default.ProductionOrderConfirmationRequest, PostingValidation.Confirmation),
        new Route<GoodsMovementRequest>("goods-movements", ErpJsonContext.Default.GoodsMovementRequest, PostingValidation.GoodsMovement),
        new Route<StockStatusChangeRequest>("stock-status-changes", ErpJsonContext.Default.StockStatusChangeRequest, PostingValidation.StockStatusChange),
    ];

    // Both spellings a batch item may use: relative to the batch URL, or the absolute path.
    private static readonly FrozenDictionary<string, PostingRoute> ByUrl =
        All.SelectMany(r => new[] { KeyValuePair.Create(r.Endpoint, r), KeyValuePair.Create(r.Path, r) }).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The route a batch item's <c>url</c> names, or null (the item is answered 404).</summary>
    public static PostingRoute? Find(string? url) => url is not null && ByUrl.TryGetValue(url, out var r) ? r : null;

    private sealed class Route<T>(string endpoint, JsonTypeInfo<T> typeInfo, Func<T, string, string, PostingValidation.Result> validate)
        : PostingRoute(endpoint)
    {
        public override PostingValidation.Result Validate(JsonElement body, string key)
        {
            T? value;
            try
            {
                value = body.Deserialize(typeInfo);
            }
            catch (JsonException e)
            {
                return new PostingValidation.Result(null, 400, PostingEndpoints.MalformedJson(e));
            }

            return value is null
                ? new PostingValidation.Result(null, 400, PostingEndpoints.BodyRequired)
                : validate(value, key, body.GetRawText()); // the item's own JSON text, as the single endpoint stores its body
        }
    }
}
