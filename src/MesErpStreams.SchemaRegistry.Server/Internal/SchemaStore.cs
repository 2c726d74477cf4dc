using MesErpStreams.Avro;
using MesErpStreams.Avro.Compatibility;

namespace MesErpStreams.SchemaRegistry.Server.Internal;

/// <summary>
/// The registry's state, built only by applying <see cref="LogEntry"/>s (replayed from the topic at start, then
/// each one after it is durably appended). Thread-safe; queries see a consistent snapshot under a lock.
/// </summary>
internal sealed class SchemaStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, SortedDictionary<int, SchemaEntry>> subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<int, StoredSchema> byId = [];
    private readonly Dictionary<string, int> idByJson = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> idByGuid = [];
    private readonly Dictionary<string, CompatibilityLevel> subjectLevels = new(StringComparer.Ordinal);
    private readonly CompatibilityLevel defaultLevel;
    private CompatibilityLevel? globalLevel;
    private int maxId;

    public SchemaStore(CompatibilityLevel defaultLevel) => this.defaultLevel = defaultLevel;

    public void Apply(LogEntry entry)
    {
        lock (gate)
        {
            switch (entry)
            {
                case SchemaEntry { HardDeleted: true } e:
                    if (subjects.TryGetValue(e.Subject, out var hv))
                    {
                        hv.Remove(e.Version);
                    }

                    break;
                case SchemaEntry e:
                    if (!byId.ContainsKey(e.Id))
                    {
                        var stored = StoredSchema.Create(e.Id, e.Schema);
                        byId[e.Id] = stored;
                        idByJson.TryAdd(stored.Normalized, e.Id);
                        idByGuid.TryAdd(stored.Guid, e.Id);
                    }

                    maxId = Math.Max(maxId, e.Id);
                    if (!subjects.TryGetValue(e.Subject, out var versions))
                    {
                        subjects[e.Subject] = versions = [];
                    }

                    versions[e.Version] = e;
                    break;
                case ConfigEntry { Subject: null } c:
                    globalLevel = c.Level;
                    break;
                case ConfigEntry c when c.Level is { } level:
                    subjectLevels[c.Subject] = level;
                    break;
                case ConfigEntry c:
                    subjectLevels.Remove(c.Subject);
                    break;
            }
        }
    }

    public CompatibilityLevel GlobalLevel
    {
        get
        {
            lock (gate)
            {
                return globalLevel ?? defaultLevel;
            }
        }
    }

    public CompatibilityLevel? SubjectLevel(string subject)
    {
        lock (gate)
        {
            return subjectLevels.TryGetValue(subject, out var l) ? l : null;
        }
    }

    public CompatibilityLevel EffectiveLevel(string subject) => SubjectLevel(subject) ?? GlobalLevel;

    public IReadOnlyList<string> Subjects(bool includeDeleted)
    {
        lock (gate)
        {
            return subjects.Where(s => s.Value.Values.Any(v => includeDeleted || !v.Deleted)).Select(s => s.Key).Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>Live (not soft-deleted) versions, oldest first; empty when the subject is unknown.</summary>
    public IReadOnlyList<SchemaEntry> Versions(string subject, bool includeDeleted = false)
    {
        lock (gate)
        {
            return subjects.TryGetValue(subject, out var v) ? v.Values.Where(e => includeDeleted || !e.Deleted).ToArray() : [];
        }
    }

    public StoredSchema? ById(int id)
    {
        lock (gate)
        {
            return byId.GetValueOrDefault(id);
        }
    }

    public StoredSchema? ByGuid(Guid guid)
    {
        lock (gate)
        {
            return idByGuid.TryGetValue(guid, out var id) ? byId.GetValueOrDefault(id) : null;
        }
    }

    public int? IdOf(string normalizedJson)
    {
        lock (gate)
        {
            return idByJson.TryGetValue(normalizedJson, out var id) ? id : null;
        }
    }

    public int NextId()
    {
        lock (gate)
        {
            return maxId + 1;
        }
    }

    /// <summary>The next version number of <paramref name="subject"/> (after every version ever used, deleted too).</summary>
    public int NextVersion(string subject)
    {
        lock (gate)
        {
            return subjects.TryGetValue(subject, out var v) && v.Count > 0 ? v.Keys.Max() + 1 : 1;
        }
    }

    public IReadOnlyList<(string Subject, int Version)> UsesOf(int id)
    {
        lock (gate)
        {
            return subjects.SelectMany(s => s.Value.Values.Where(e => e.Id == id && !e.Deleted).Select(e => (s.Key, e.Version)))
                .OrderBy(x => x.Key, StringComparer.Ordinal).ThenBy(x => x.Version).ToArray();
        }
    }
}

/// <summary>
/// A schema by id: its text, parsed form, normalized JSON (what "the same schema" means) and its GUID. Confluent's
/// registry gives every schema a GUID besides the numeric id (served as <c>guid</c> and at <c>/schemas/guids/{guid}</c>).
/// Here it is derived from the normalized JSON (the first 16 bytes of its SHA-256, marked as an RFC 9562 version 8
/// UUID), so it is the same on every registry holding the schema, survives a restart without being stored in the
/// topic, and distinct schemas get distinct GUIDs.
/// </summary>
internal sealed record StoredSchema(int Id, string Text, Schema Parsed, string Normalized, Guid Guid)
{
    public static StoredSchema Create(int id, string text)
    {
        var parsed = Schema.Parse(text);
        var normalized = parsed.ToJson();
        return new StoredSchema(id, text, parsed, normalized, GuidOf(normalized));
    }

    internal static Guid GuidOf(string normalizedJson)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(normalizedJson), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: application-defined
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
