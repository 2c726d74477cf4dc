using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MesErpStreams.SchemaRegistry.Server.Internal;

/// <summary>The Confluent Schema Registry REST routes.</summary>
internal static class RegistryEndpoints
{
    private const string MediaType = "application/vnd.schemaregistry.v1+json";

    public static void Map(IEndpointRouteBuilder app, RegistryService registry)
    {
        app.MapGet("/", () => Json(new JsonObject()));
        app.MapGet("/schemas/types", () => Json(new JsonArray("AVRO")));
        app.MapGet("/subjects", (bool? deleted) => Json(registry.Subjects(deleted ?? false)));
        app.MapGet("/subjects/{subject}/versions", (string subject) => Json(registry.Versions(subject)));
        app.MapGet("/subjects/{subject}/versions/{version}", (string subject, string version) => Json(registry.GetVersion(subject, version)));
        app.MapGet("/subjects/{subject}/versions/{version}/schema", (string subject, string version) =>
            Results.Text(registry.GetVersionSchema(subject, version), MediaType));
        app.MapPost("/subjects/{subject}/versions", async (string subject, HttpRequest request, CancellationToken ct) =>
            Json(await registry.RegisterAsync(subject, await ReadSchemaAsync(request, ct), ct)));
        app.MapPost("/subjects/{subject}", async (string subject, HttpRequest request, CancellationToken ct) =>
            Json(registry.Lookup(subject, await ReadSchemaAsync(request, ct))));
        app.MapDelete("/subjects/{subject}", async (string subject, CancellationToken ct) => Json(await registry.DeleteSubjectAsync(subject, ct)));
        app.MapGet("/schemas/ids/{id:int}", (int id) => Json(registry.SchemaById(id)));
        app.MapGet("/schemas/ids/{id:int}/schema", (int id) => Results.Text(registry.SchemaById(id)["schema"]!.GetValue<string>(), MediaType));
        app.MapGet("/schemas/ids/{id:int}/versions", (int id) => Json(registry.UsesOf(id, subjectsOnly: false)));
        app.MapGet("/schemas/ids/{id:int}/subjects", (int id) => Json(registry.UsesOf(id, subjectsOnly: true)));
        app.MapGet("/schemas/guids/{guid}", (string guid) => Json(registry.SchemaByGuid(guid)));
        app.MapGet("/schemas/guids/{guid}/schema", (string guid) => Results.Text(registry.SchemaByGuid(guid)["schema"]!.GetValue<string>(), MediaType));
        app.MapGet("/subjects/{subject}/metadata", (string subject, HttpRequest request) => Json(registry.LatestWithMetadata(subject, MetadataFilter(request.Query))));
        app.MapPost("/compatibility/subjects/{subject}/versions/{version}", async (string subject, string version, HttpRequest request, CancellationToken ct) =>
            Json(registry.TestCompatibility(subject, version, await ReadSchemaAsync(request, ct))));
        app.MapPost("/compatibility/subjects/{subject}/versions", async (string subject, HttpRequest request, CancellationToken ct) =>
            Json(registry.TestCompatibility(subject, null, await ReadSchemaAsync(request, ct))));
        app.MapGet("/config", () => Json(registry.GetConfig(null, true)));
        app.MapPut("/config", async (HttpRequest request, CancellationToken ct) =>
            Json(await registry.SetConfigAsync(null, await ReadLevelAsync(request, ct), ct)));
        app.MapGet("/config/{subject}", (string subject, bool? defaultToGlobal) => Json(registry.GetConfig(subject, defaultToGlobal ?? false)));
        app.MapPut("/config/{subject}", async (string subject, HttpRequest request, CancellationToken ct) =>
            Json(await registry.SetConfigAsync(subject, await ReadLevelAsync(request, ct), ct)));
    }

    /// <summary>Turns <see cref="RegistryError"/> and malformed requests into Confluent error bodies.</summary>
    public static async Task HandleErrorsAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted)
            {
                await WriteErrorAsync(context, 404, 404, $"HTTP 404 Not Found: {context.Request.Method} {context.Request.Path}");
            }
        }
        catch (RegistryError e)
        {
            await WriteErrorAsync(context, e.Status, e.ErrorCode, e.Message);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            await WriteErrorAsync(context, 400, 400, "Bad request: " + e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Clients get the Confluent error shape for server faults too (they retry 5xx with backoff).
            await WriteErrorAsync(context, 500, 50001, "Internal error in the embedded schema registry: " + e.Message);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, int code, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = MediaType;
        await context.Response.WriteAsync(new JsonObject { ["error_code"] = code, ["message"] = message }.ToJsonString());
    }

    private static IResult Json(JsonNode body) => Results.Text(body.ToJsonString(), MediaType);

    private static async Task<string> ReadSchemaAsync(HttpRequest request, CancellationToken ct)
    {
        var body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct) as JsonObject
            ?? throw RegistryError.InvalidSchema("request body must be a JSON object {\"schema\": \"...\"}");
        if (body["schemaType"] is JsonValue t && t.GetValue<string>() is { } type && !string.Equals(type, "AVRO", StringComparison.OrdinalIgnoreCase))
        {
            throw RegistryError.InvalidSchema($"schema type '{type}' is not supported (AVRO only)");
        }

        if (body["references"] is JsonArray { Count: > 0 })
        {
            throw RegistryError.InvalidSchema("schema references are not supported by the embedded registry");
        }

        if (body["ruleSet"] is JsonObject ruleSet && ruleSet.Any(r => r.Value is JsonArray { Count: > 0 }))
        {
            throw RegistryError.InvalidRuleSet("rule sets (data contract rules) are not supported by the embedded registry");
        }

        if (body["metadata"] is JsonObject metadata && metadata.Any(m => m.Value is JsonObject { Count: > 0 } or JsonArray { Count: > 0 }))
        {
            throw RegistryError.InvalidSchema("schema metadata (tags, properties, sensitive fields) is not supported by the embedded registry");
        }

        return body["schema"] is JsonValue v && v.TryGetValue<string>(out var schema)
            ? schema
            : throw RegistryError.InvalidSchema("request body lacks the string property 'schema'");
    }

    /// <summary>The <c>key=k&amp;value=v</c> pairs of a metadata query, in order (Confluent's clients repeat both).</summary>
    private static List<KeyValuePair<string, string>> MetadataFilter(IQueryCollection query)
    {
        var keys = query["key"];
        var values = query["value"];
        if (keys.Count != values.Count)
        {
            throw new RegistryError(400, 400, $"metadata query needs one value per key, got {keys.Count} keys and {values.Count} values");
        }

        return keys.Zip(values, (k, v) => new KeyValuePair<string, string>(k ?? "", v ?? "")).Where(p => p.Key.Length > 0).ToList();
    }

    private static async Task<string?> ReadLevelAsync(HttpRequest request, CancellationToken ct)
    {
        var body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct) as JsonObject;
        return (body?["compatibility"] ?? body?["compatibilityLevel"]) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }
}
