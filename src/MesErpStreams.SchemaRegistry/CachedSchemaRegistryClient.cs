using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MesErpStreams.Avro.Compatibility;
using MesErpStreams.SchemaRegistry.Internal;

namespace MesErpStreams.SchemaRegistry;

/// <summary>
/// <see cref="ISchemaRegistryClient"/> over HTTP with caches of what never changes: schemas by id and ids by
/// (subject, schema). Thread-safe; create one per process and share it between serializers.
/// </summary>
public sealed class CachedSchemaRegistryClient : ISchemaRegistryClient, IDisposable
{
    private readonly RegistryHttp http;
    private readonly int maxCached;
    private readonly ConcurrentDictionary<int, string> schemasById = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), int> idsBySubjectSchema = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), RegisteredSchema> lookups = new();

    /// <summary>Creates a client.</summary>
    /// <exception cref="ArgumentException">The options are invalid (message names the setting).</exception>
    public CachedSchemaRegistryClient(SchemaRegistryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        maxCached = options.MaxCachedSchemas;
        http = new RegistryHttp(options);
    }

    /// <inheritdoc />
    public async Task<int> RegisterSchemaAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        if (idsBySubjectSchema.TryGetValue((subject, schema), out var cached))
        {
            return cached;
        }

        var response = await http.SendAsync(HttpMethod.Post, $"/subjects/{Esc(subject)}/versions", SchemaBody(schema), cancellationToken);
        var id = Required(response, "id").GetValue<int>();
        Cache(idsBySubjectSchema, (subject, schema), id);
        Cache(schemasById, id, schema);
        return id;
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> LookupSchemaAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        if (lookups.TryGetValue((subject, schema), out var cached))
        {
            return cached;
        }

        var response = await http.SendAsync(HttpMethod.Post, $"/subjects/{Esc(subject)}", SchemaBody(schema), cancellationToken);
        var registered = ToRegistered(response, subject);
        Cache(lookups, (subject, schema), registered);
        Cache(idsBySubjectSchema, (subject, schema), registered.Id);
        return registered;
    }

    /// <inheritdoc />
    public async Task<string> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
    {
        if (schemasById.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var response = await http.SendAsync(HttpMethod.Get, $"/schemas/ids/{id}", null, cancellationToken);
        var schema = Required(response, "schema").GetValue<string>();
        Cache(schemasById, id, schema);
        return schema;
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> GetLatestSchemaAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var response = await http.SendAsync(HttpMethod.Get, $"/subjects/{Esc(subject)}/versions/latest", null, cancellationToken);
        return ToRegistered(response, subject);
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> GetSchemaAsync(string subject, int version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var response = await http.SendAsync(HttpMethod.Get, $"/subjects/{Esc(subject)}/versions/{version}", null, cancellationToken);
        return ToRegistered(response, subject);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default)
    {
        var response = await http.SendAsync(HttpMethod.Get, "/subjects", null, cancellationToken);
        return response is JsonArray a ? a.Select(n => n!.GetValue<string>()).ToArray() : [];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var response = await http.SendAsync(HttpMethod.Get, $"/subjects/{Esc(subject)}/versions", null, cancellationToken);
        return response is JsonArray a ? a.Select(n => n!.GetValue<int>()).ToArray() : [];
    }

    /// <inheritdoc />
    public async Task<CompatibilityCheckResult> TestCompatibilityAsync(string subject, string schema, int? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        var path = version is { } v
            ? $"/compatibility/subjects/{Esc(subject)}/versions/{v}?verbose=true"
            : $"/compatibility/subjects/{Esc(subject)}/versions?verbose=true";
        JsonNode? response;
        try
        {
            response = await http.SendAsync(HttpMethod.Post, path, SchemaBody(schema), cancellationToken);
        }
        catch (SchemaRegistryException e) when (version is null && e.StatusCode is 404 or 405 && e.ErrorCode is not (SchemaRegistryException.SubjectNotFound or SchemaRegistryException.VersionNotFound))
        {
            // Registries without the "all versions per level" endpoint (older Confluent, some compatible servers):
            // test against the latest version, which they check per the subject's level.
            response = await http.SendAsync(HttpMethod.Post, $"/compatibility/subjects/{Esc(subject)}/versions/latest?verbose=true", SchemaBody(schema), cancellationToken);
        }

        var compatible = Required(response, "is_compatible").GetValue<bool>();
        var messages = response!["messages"] is JsonArray m ? m.Select(n => n!.GetValue<string>()).ToArray() : [];
        return new CompatibilityCheckResult(compatible, messages);
    }

    /// <inheritdoc />
    public async Task<CompatibilityLevel?> GetCompatibilityAsync(string? subject, bool defaultToGlobal = true, CancellationToken cancellationToken = default)
    {
        var path = subject is null ? "/config" : $"/config/{Esc(subject)}?defaultToGlobal={(defaultToGlobal ? "true" : "false")}";
        JsonNode? response;
        try
        {
            response = await http.SendAsync(HttpMethod.Get, path, null, cancellationToken);
        }
        catch (SchemaRegistryException e) when (subject is not null && e.ErrorCode is SchemaRegistryException.SubjectLevelCompatibilityNotConfigured or SchemaRegistryException.SubjectNotFound)
        {
            if (!defaultToGlobal)
            {
                return null;
            }

            // Registries without defaultToGlobal support answer 40408/40401: fall back to the global level.
            return await GetCompatibilityAsync(null, true, cancellationToken);
        }

        var name = (response?["compatibilityLevel"] ?? response?["compatibility"])?.GetValue<string>();
        return CompatibilityLevelNames.TryParse(name, out var level)
            ? level
            : throw new SchemaRegistryException($"schema registry returned unknown compatibility level '{name}' for {path}", 200, -1);
    }

    /// <inheritdoc />
    public async Task SetCompatibilityAsync(string? subject, CompatibilityLevel level, CancellationToken cancellationToken = default)
    {
        var path = subject is null ? "/config" : $"/config/{Esc(subject)}";
        await http.SendAsync(HttpMethod.Put, path, new JsonObject { ["compatibility"] = CompatibilityLevelNames.ToName(level) }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var response = await http.SendAsync(HttpMethod.Delete, $"/subjects/{Esc(subject)}", null, cancellationToken);
        foreach (var key in lookups.Keys.Where(k => k.Subject == subject))
        {
            lookups.TryRemove(key, out _);
        }

        foreach (var key in idsBySubjectSchema.Keys.Where(k => k.Subject == subject))
        {
            idsBySubjectSchema.TryRemove(key, out _);
        }

        return response is JsonArray a ? a.Select(n => n!.GetValue<int>()).ToArray() : [];
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private static string Esc(string subject) => Uri.EscapeDataString(subject);

    private static JsonObject SchemaBody(string schema) => new() { ["schema"] = schema };

    private static JsonNode Required(JsonNode? response, string property) =>
        response?[property] ?? throw new SchemaRegistryException($"schema registry response lacks '{property}': {response?.ToJsonString()}", 200, -1);

    private static RegisteredSchema ToRegistered(JsonNode? response, string subject) => new(
        response?["subject"]?.GetValue<string>() ?? subject,
        Required(response, "id").GetValue<int>(),
        Required(response, "version").GetValue<int>(),
        Required(response, "schema").GetValue<string>());

    private void Cache<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, TValue value)
        where TKey : notnull
    {
        // Bounded: a process that sees unboundedly many schemas (a tool scanning a registry) starts over instead of growing.
        if (cache.Count >= maxCached)
        {
            cache.Clear();
        }

        cache[key] = value;
    }
}
