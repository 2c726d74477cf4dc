using System.Text.Json;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>One posting of a batch: its route (null = unknown <c>url</c>, answered 404), key and earlier items it depends on.</summary>
internal sealed record BatchItem(string? Id, PostingRoute? Route, string JournalPath, string Key, int[] DependsOn, JsonElement? Body);

/// <summary>
/// A batch request read and checked as a whole: its items (listed even when the batch is refused, so the journal can
/// show one entry per posting) and the reason the whole batch is refused with 400, if any (the first problem found).
/// </summary>
internal sealed class BatchPlan
{
    private BatchPlan(IReadOnlyList<BatchItem> items, ErrorResponse? error)
    {
        Items = items;
        Error = error;
    }

    public IReadOnlyList<BatchItem> Items { get; }

    /// <summary>Why the whole batch is refused (400, nothing written); null when it may run.</summary>
    public ErrorResponse? Error { get; }

    /// <summary>Reads the request body (source-generated JSON) and checks it.</summary>
    public static async Task<BatchPlan> ReadAsync(Stream body, string idempotencyHeader, int maxBatchSize, CancellationToken ct)
    {
        BatchRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(body, ErpJsonContext.Default.BatchRequest, ct);
        }
        catch (JsonException e)
        {
            return new BatchPlan([], PostingEndpoints.MalformedJson(e));
        }

        return Create(request, idempotencyHeader, maxBatchSize);
    }

    /// <summary>Checks a parsed batch: size, ids, methods and that every <c>dependsOn</c> names an earlier item.</summary>
    public static BatchPlan Create(BatchRequest? request, string idempotencyHeader, int maxBatchSize)
    {
        if (request?.Requests is not { } requests)
        {
            return new BatchPlan([], Invalid("'requests' is required", "requests"));
        }

        var items = new BatchItem[requests.Count];
        ErrorResponse? error = requests.Count switch
        {
            0 => Invalid("'requests' must not be empty", "requests"),
            var n when n > maxBatchSize => Invalid($"a batch carries at most {maxBatchSize} requests (got {n})", "requests"),
            _ => null,
        };
        var indexById = new Dictionary<string, int>(requests.Count, StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            if (r is null)
            {
                error ??= Invalid($"requests[{i}] must be an object", $"requests[{i}]");
                items[i] = new BatchItem(null, null, PostingRoutes.BatchPath, string.Empty, [], null);
                continue;
            }

            var route = PostingRoutes.Find(r.Url);
            var path = route?.Path ?? r.Url switch
            {
                null or "" => PostingRoutes.BatchPath,
                ['/', ..] => r.Url,
                _ => PostingRoutes.Prefix + r.Url,
            };
            items[i] = new BatchItem(r.Id, route, path, Header(r.Headers, idempotencyHeader), Dependencies(r, i, indexById, ref error), r.Body);

            if (string.IsNullOrEmpty(r.Id))
            {
                error ??= Invalid($"requests[{i}].id is required", $"requests[{i}].id");
            }
            else if (!indexById.TryAdd(r.Id, i))
            {
                error ??= Invalid($"id '{r.Id}' is repeated (requests[{indexById[r.Id]}] and requests[{i}])", $"requests[{i}].id");
            }

            if (!string.Equals(r.Method, "POST", StringComparison.OrdinalIgnoreCase)) // OData: the method literal is case-insensitive
            {
                error ??= Invalid($"requests[{i}].method must be POST (got '{r.Method}')", $"requests[{i}].method");
            }
        }

        return new BatchPlan(items, error);
    }

    private static int[] Dependencies(BatchItemRequest r, int index, Dictionary<string, int> earlier, ref ErrorResponse? error)
    {
        if (r.DependsOn is not { Count: > 0 } names)
        {
            return [];
        }

        var result = new int[names.Count];
        for (var j = 0; j < names.Count; j++)
        {
            // Only ids already seen count: an item cannot depend on itself or on a later one.
            if (names[j] is not { } name || !earlier.TryGetValue(name, out result[j]))
            {
                error ??= Invalid($"requests[{index}].dependsOn names '{names[j]}', which is not an earlier request of this batch", $"requests[{index}].dependsOn");
                return [];
            }
        }

        return result;
    }

    /// <summary>The item's idempotency key: header names inside a batch item match case-insensitively, as HTTP headers do.</summary>
    private static string Header(Dictionary<string, string?>? headers, string name)
    {
        if (headers is null)
        {
            return string.Empty;
        }

        foreach (var (k, v) in headers)
        {
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            {
                return v ?? string.Empty;
            }
        }

        return string.Empty;
    }

    private static ErrorResponse Invalid(string message, string field) => new("validation", message, field);
}
