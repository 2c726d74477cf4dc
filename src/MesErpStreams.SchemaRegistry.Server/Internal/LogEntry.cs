using System.Text.Json;
using MesErpStreams.Avro.Compatibility;

namespace MesErpStreams.SchemaRegistry.Server.Internal;

/// <summary>
/// One record of the schemas topic in Confluent's layout. Keys are JSON with a fixed property order, so the same
/// logical key is byte-identical and compaction keeps its newest value:
/// <c>{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}</c> → <c>{"subject":"s","version":1,"id":7,"schema":"…","deleted":false}</c>;
/// <c>{"keytype":"CONFIG","subject":null,"magic":0}</c> → <c>{"compatibilityLevel":"BACKWARD"}</c>. A null value is a tombstone.
/// </summary>
internal abstract record LogEntry
{
    public static LogEntry? Parse(byte[]? key, byte[]? value)
    {
        if (key is null)
        {
            return null;
        }

        using var k = JsonDocument.Parse(key);
        var root = k.RootElement;
        var keyType = root.TryGetProperty("keytype", out var kt) ? kt.GetString() : null;
        var subject = root.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        switch (keyType)
        {
            case "SCHEMA":
            {
                var version = root.GetProperty("version").GetInt32();
                if (value is null)
                {
                    return new SchemaEntry(subject!, version, 0, "", Deleted: true, HardDeleted: true);
                }

                using var v = JsonDocument.Parse(value);
                var o = v.RootElement;
                if (o.TryGetProperty("schemaType", out var st) && st.GetString() is { } type && !string.Equals(type, "AVRO", StringComparison.OrdinalIgnoreCase))
                {
                    return null; // a topic shared with a full registry may hold PROTOBUF/JSON schemas: not ours to serve
                }

                var deleted = o.TryGetProperty("deleted", out var d) && d.ValueKind == JsonValueKind.True;
                return new SchemaEntry(o.GetProperty("subject").GetString()!, o.GetProperty("version").GetInt32(),
                    o.GetProperty("id").GetInt32(), o.GetProperty("schema").GetString()!, deleted, HardDeleted: false);
            }

            case "CONFIG":
            {
                if (value is null)
                {
                    return new ConfigEntry(subject, null);
                }

                using var v = JsonDocument.Parse(value);
                var name = v.RootElement.TryGetProperty("compatibilityLevel", out var l) ? l.GetString() : null;
                return CompatibilityLevelNames.TryParse(name, out var level) ? new ConfigEntry(subject, level) : null;
            }

            default:
                // NOOP, DELETE_SUBJECT, MODE, ... : nothing this registry needs to replay.
                return null;
        }
    }

    public abstract (byte[] Key, byte[]? Value) Encode();

    protected static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}

/// <summary>A schema version under a subject.</summary>
internal sealed record SchemaEntry(string Subject, int Version, int Id, string Schema, bool Deleted, bool HardDeleted) : LogEntry
{
    public override (byte[] Key, byte[]? Value) Encode()
    {
        var key = Json(w =>
        {
            w.WriteString("keytype", "SCHEMA");
            w.WriteString("subject", Subject);
            w.WriteNumber("version", Version);
            w.WriteNumber("magic", 1);
        });
        var value = Json(w =>
        {
            w.WriteString("subject", Subject);
            w.WriteNumber("version", Version);
            w.WriteNumber("id", Id);
            w.WriteString("schema", Schema);
            w.WriteBoolean("deleted", Deleted);
        });
        return (key, value);
    }
}

/// <summary>A compatibility level, global when <see cref="Subject"/> is null; a null level removes it.</summary>
internal sealed record ConfigEntry(string? Subject, CompatibilityLevel? Level) : LogEntry
{
    public override (byte[] Key, byte[]? Value) Encode()
    {
        var key = Json(w =>
        {
            w.WriteString("keytype", "CONFIG");
            if (Subject is null)
            {
                w.WriteNull("subject");
            }
            else
            {
                w.WriteString("subject", Subject);
            }

            w.WriteNumber("magic", 0);
        });
        var value = Level is { } level ? Json(w => w.WriteString("compatibilityLevel", CompatibilityLevelNames.ToName(level))) : null;
        return (key, value);
    }
}
