using System.Text.Json.Nodes;
using MesErpStreams.Avro;
using MesErpStreams.Avro.Compatibility;

namespace MesErpStreams.SchemaRegistry.Server.Internal;

/// <summary>The registry's operations in Confluent's semantics; throws <see cref="RegistryError"/>.</summary>
internal sealed class RegistryService : IDisposable
{
    private readonly SchemaStore store;
    private readonly KafkaSchemaLog log;
    private readonly SemaphoreSlim writeLock = new(1, 1);

    public RegistryService(SchemaStore store, KafkaSchemaLog log)
    {
        this.store = store;
        this.log = log;
    }

    public void Dispose() => writeLock.Dispose();

    /// <summary>
    /// Registers (or finds) the schema under the subject. Answers what Confluent's current registry answers:
    /// <c>id</c>, <c>version</c>, <c>guid</c> and <c>schema</c> (<c>schemaType</c>, references, metadata and rule set are
    /// left out as Confluent leaves out AVRO and empty values).
    /// </summary>
    public async Task<JsonObject> RegisterAsync(string subject, string schemaText, CancellationToken ct)
    {
        var candidate = Parse(schemaText);
        var normalized = candidate.ToJson();
        await writeLock.WaitAsync(ct);
        try
        {
            var live = store.Versions(subject);
            if (live.FirstOrDefault(v => store.ById(v.Id)?.Normalized == normalized) is { } existing)
            {
                return VersionBody(existing, includeSubject: false);
            }

            var level = store.EffectiveLevel(subject);
            var result = SchemaCompatibility.Check(candidate, live.Select(v => store.ById(v.Id)!.Parsed).ToArray(), level);
            if (!result.IsCompatible)
            {
                throw new RegistryError(409, 409,
                    $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\" (compatibility {CompatibilityLevelNames.ToName(level)}), details: "
                    + string.Join("; ", result.Messages));
            }

            var id = store.IdOf(normalized) ?? store.NextId();
            var entry = new SchemaEntry(subject, store.NextVersion(subject), id, normalized, Deleted: false, HardDeleted: false);
            await AppendAsync(entry, ct);
            return VersionBody(entry, includeSubject: false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public JsonObject Lookup(string subject, string schemaText)
    {
        var normalized = Parse(schemaText).ToJson();
        var live = store.Versions(subject);
        if (live.Count == 0)
        {
            throw RegistryError.SubjectNotFound(subject);
        }

        var match = live.FirstOrDefault(v => store.ById(v.Id)?.Normalized == normalized)
            ?? throw RegistryError.SchemaNotFound($"the schema is not registered under subject '{subject}'");
        return VersionBody(match);
    }

    public JsonObject GetVersion(string subject, string version) => VersionBody(ResolveVersion(subject, version));

    public string GetVersionSchema(string subject, string version) => ResolveVersion(subject, version).Schema;

    public JsonArray Versions(string subject)
    {
        var live = store.Versions(subject);
        return live.Count == 0 ? throw RegistryError.SubjectNotFound(subject) : new JsonArray(live.Select(v => (JsonNode)v.Version).ToArray());
    }

    public JsonArray Subjects(bool includeDeleted) => new(store.Subjects(includeDeleted).Select(s => (JsonNode)s).ToArray());

    public JsonObject SchemaById(int id)
    {
        var stored = store.ById(id) ?? throw RegistryError.SchemaNotFound($"schema id {id}");
        return new JsonObject { ["schema"] = stored.Text, ["guid"] = stored.Guid.ToString("D") };
    }

    /// <summary><c>GET /schemas/guids/{guid}</c>: the schema, as by id, found by its GUID (see <see cref="StoredSchema"/>).</summary>
    public JsonObject SchemaByGuid(string guid)
    {
        var stored = (Guid.TryParse(guid, out var g) ? store.ByGuid(g) : null) ?? throw RegistryError.SchemaNotFound($"schema guid {guid}");
        return new JsonObject { ["schema"] = stored.Text, ["guid"] = stored.Guid.ToString("D") };
    }

    /// <summary>
    /// <c>GET /subjects/{subject}/metadata?key=k&amp;value=v…</c>: the latest version whose metadata properties hold every
    /// given key with its value. Schemas here carry no metadata (registering metadata is refused), so with no pair
    /// this is the latest version, and with any pair no version matches (40403, as Confluent answers).
    /// </summary>
    public JsonObject LatestWithMetadata(string subject, IReadOnlyList<KeyValuePair<string, string>> required)
    {
        var live = store.Versions(subject);
        if (live.Count == 0)
        {
            throw RegistryError.SubjectNotFound(subject);
        }

        return required.Count == 0
            ? VersionBody(live[^1])
            : throw RegistryError.SchemaNotFound($"no version of subject '{subject}' has metadata {string.Join(", ", required.Select(p => p.Key + "=" + p.Value))}");
    }

    public JsonArray UsesOf(int id, bool subjectsOnly)
    {
        if (store.ById(id) is null)
        {
            throw RegistryError.SchemaNotFound($"schema id {id}");
        }

        var uses = store.UsesOf(id);
        return subjectsOnly
            ? new JsonArray(uses.Select(u => u.Subject).Distinct().Select(s => (JsonNode)s).ToArray())
            : new JsonArray(uses.Select(u => (JsonNode)new JsonObject { ["subject"] = u.Subject, ["version"] = u.Version }).ToArray());
    }

    public JsonObject TestCompatibility(string subject, string? version, string schemaText)
    {
        var candidate = Parse(schemaText);
        var level = store.EffectiveLevel(subject);
        CompatibilityResult result;
        if (version is null)
        {
            var live = store.Versions(subject);
            result = SchemaCompatibility.Check(candidate, live.Select(v => store.ById(v.Id)!.Parsed).ToArray(), level);
        }
        else
        {
            if (store.Versions(subject).Count == 0)
            {
                throw RegistryError.SubjectNotFound(subject);
            }

            var against = store.ById(ResolveVersion(subject, version).Id)!.Parsed;
            result = SchemaCompatibility.Check(candidate, [against], level);
        }

        return new JsonObject
        {
            ["is_compatible"] = result.IsCompatible,
            ["messages"] = new JsonArray(result.Messages.Select(m => (JsonNode)m).ToArray()),
        };
    }

    public JsonObject GetConfig(string? subject, bool defaultToGlobal)
    {
        if (subject is null)
        {
            return new JsonObject { ["compatibilityLevel"] = CompatibilityLevelNames.ToName(store.GlobalLevel) };
        }

        var level = store.SubjectLevel(subject) ?? (defaultToGlobal
            ? store.GlobalLevel
            : throw new RegistryError(404, 40408, $"Subject '{subject}' does not have subject-level compatibility configured"));
        return new JsonObject { ["compatibilityLevel"] = CompatibilityLevelNames.ToName(level) };
    }

    public async Task<JsonObject> SetConfigAsync(string? subject, string? levelName, CancellationToken ct)
    {
        if (!CompatibilityLevelNames.TryParse(levelName, out var level))
        {
            throw RegistryError.InvalidCompatibility(levelName);
        }

        await writeLock.WaitAsync(ct);
        try
        {
            await AppendAsync(new ConfigEntry(subject, level), ct);
        }
        finally
        {
            writeLock.Release();
        }

        return new JsonObject { ["compatibility"] = CompatibilityLevelNames.ToName(level) };
    }

    public async Task<JsonArray> DeleteSubjectAsync(string subject, CancellationToken ct)
    {
        await writeLock.WaitAsync(ct);
        try
        {
            var live = store.Versions(subject);
            if (live.Count == 0)
            {
                throw RegistryError.SubjectNotFound(subject);
            }

            foreach (var v in live)
            {
                await AppendAsync(v with { Deleted = true }, ct);
            }

            return new JsonArray(live.Select(v => (JsonNode)v.Version).ToArray());
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task AppendAsync(LogEntry entry, CancellationToken ct)
    {
        try
        {
            await log.AppendAsync(entry, ct);
        }
        catch (Confluent.Kafka.KafkaException e)
        {
            throw new RegistryError(500, 50001, "Error in the backend data store: " + e.Error.Reason);
        }

        store.Apply(entry);
    }

    private SchemaEntry ResolveVersion(string subject, string version)
    {
        var live = store.Versions(subject);
        if (live.Count == 0)
        {
            throw RegistryError.SubjectNotFound(subject);
        }

        if (version is "latest" or "-1")
        {
            return live[^1];
        }

        if (!int.TryParse(version, System.Globalization.NumberStyles.None, null, out var n) || n < 1)
        {
            throw RegistryError.InvalidVersion(version);
        }

        return live.FirstOrDefault(v => v.Version == n) ?? throw RegistryError.VersionNotFound(subject, version);
    }

    private JsonObject VersionBody(SchemaEntry e, bool includeSubject = true)
    {
        var body = new JsonObject();
        if (includeSubject)
        {
            body["subject"] = e.Subject;
        }

        body["version"] = e.Version;
        body["id"] = e.Id;
        body["guid"] = (store.ById(e.Id)?.Guid ?? StoredSchema.GuidOf(Parse(e.Schema).ToJson())).ToString("D");
        body["schema"] = e.Schema;
        return body;
    }

    private static Schema Parse(string schemaText)
    {
        try
        {
            return Schema.Parse(schemaText);
        }
        catch (AvroSchemaParseException e)
        {
            throw RegistryError.InvalidSchema(e.Message);
        }
    }
}
