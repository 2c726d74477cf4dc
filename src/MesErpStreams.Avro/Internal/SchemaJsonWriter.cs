using System.Buffers;
using System.Text;
using System.Text.Json;

namespace MesErpStreams.Avro.Internal;

/// <summary>Writes schemas as full JSON and as Parsing Canonical Form.</summary>
internal static class SchemaJsonWriter
{
    public static string WriteCanonical(Schema schema)
    {
        var sb = new StringBuilder();
        Canonical(schema, sb, new HashSet<string>(StringComparer.Ordinal));
        return sb.ToString();
    }

    private static void Canonical(Schema schema, StringBuilder sb, HashSet<string> seen)
    {
        switch (schema)
        {
            case RecordSchema r:
                if (!seen.Add(r.FullName))
                {
                    Quote(sb, r.FullName);
                    return;
                }

                sb.Append("{\"name\":");
                Quote(sb, r.FullName);
                sb.Append(r.IsError ? ",\"type\":\"error\",\"fields\":[" : ",\"type\":\"record\",\"fields\":[");
                for (var i = 0; i < r.Fields.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    sb.Append("{\"name\":");
                    Quote(sb, r.Fields[i].Name);
                    sb.Append(",\"type\":");
                    Canonical(r.Fields[i].Schema, sb, seen);
                    sb.Append('}');
                }

                sb.Append("]}");
                return;
            case EnumSchema e:
                if (!seen.Add(e.FullName))
                {
                    Quote(sb, e.FullName);
                    return;
                }

                sb.Append("{\"name\":");
                Quote(sb, e.FullName);
                sb.Append(",\"type\":\"enum\",\"symbols\":[");
                for (var i = 0; i < e.Symbols.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Quote(sb, e.Symbols[i]);
                }

                sb.Append("]}");
                return;
            case FixedSchema f:
                if (!seen.Add(f.FullName))
                {
                    Quote(sb, f.FullName);
                    return;
                }

                sb.Append("{\"name\":");
                Quote(sb, f.FullName);
                sb.Append(",\"type\":\"fixed\",\"size\":").Append(f.Size).Append('}');
                return;
            case ArraySchema a:
                sb.Append("{\"type\":\"array\",\"items\":");
                Canonical(a.Items, sb, seen);
                sb.Append('}');
                return;
            case MapSchema m:
                sb.Append("{\"type\":\"map\",\"values\":");
                Canonical(m.Values, sb, seen);
                sb.Append('}');
                return;
            case UnionSchema u:
                sb.Append('[');
                for (var i = 0; i < u.Branches.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Canonical(u.Branches[i], sb, seen);
                }

                sb.Append(']');
                return;
            default:
                sb.Append('"').Append(SchemaInfo.TypeName(schema.Type)).Append('"');
                return;
        }
    }

    private static void Quote(StringBuilder sb, string s)
    {
        // Names and symbols are restricted to [A-Za-z0-9_.], so no escaping is ever needed.
        sb.Append('"').Append(s).Append('"');
    }

    public static string WriteFull(Schema schema)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Full(schema, w, new HashSet<string>(StringComparer.Ordinal), string.Empty);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Full(Schema schema, Utf8JsonWriter w, HashSet<string> seen, string ns)
    {
        if (schema is NamedSchema named && !seen.Add(named.FullName))
        {
            w.WriteStringValue(named.FullName);
            return;
        }

        switch (schema)
        {
            case UnionSchema u:
                w.WriteStartArray();
                foreach (var b in u.Branches)
                {
                    Full(b, w, seen, ns);
                }

                w.WriteEndArray();
                return;
            case PrimitiveSchema when schema.LogicalTypeName is null && schema.Properties.Count == 0:
                w.WriteStringValue(SchemaInfo.TypeName(schema.Type));
                return;
        }

        w.WriteStartObject();
        w.WriteString("type", schema.Type == SchemaType.Record && ((RecordSchema)schema).IsError ? "error" : SchemaInfo.TypeName(schema.Type));
        if (schema is NamedSchema n)
        {
            w.WriteString("name", n.Name);
            if (n.Namespace != ns)
            {
                w.WriteString("namespace", n.Namespace);
            }

            if (n.Doc is not null)
            {
                w.WriteString("doc", n.Doc);
            }

            if (n.Aliases.Count > 0)
            {
                w.WriteStartArray("aliases");
                foreach (var a in n.Aliases)
                {
                    w.WriteStringValue(a);
                }

                w.WriteEndArray();
            }
        }

        switch (schema)
        {
            case RecordSchema r:
                w.WriteStartArray("fields");
                foreach (var f in r.Fields)
                {
                    WriteField(f, w, seen, r.Namespace);
                }

                w.WriteEndArray();
                break;
            case EnumSchema e:
                w.WriteStartArray("symbols");
                foreach (var s in e.Symbols)
                {
                    w.WriteStringValue(s);
                }

                w.WriteEndArray();
                if (e.Default is not null)
                {
                    w.WriteString("default", e.Default);
                }

                break;
            case FixedSchema f:
                w.WriteNumber("size", f.Size);
                break;
            case ArraySchema a:
                w.WritePropertyName("items");
                Full(a.Items, w, seen, ns);
                break;
            case MapSchema m:
                w.WritePropertyName("values");
                Full(m.Values, w, seen, ns);
                break;
        }

        if (schema.LogicalTypeName is not null)
        {
            w.WriteString("logicalType", schema.LogicalTypeName);
            if (schema.Precision is { } p)
            {
                w.WriteNumber("precision", p);
                w.WriteNumber("scale", schema.Scale ?? 0);
            }
        }

        WriteProperties(schema.Properties, w);
        w.WriteEndObject();
    }

    private static void WriteField(RecordField f, Utf8JsonWriter w, HashSet<string> seen, string ns)
    {
        w.WriteStartObject();
        w.WriteString("name", f.Name);
        w.WritePropertyName("type");
        Full(f.Schema, w, seen, ns);
        if (f.Doc is not null)
        {
            w.WriteString("doc", f.Doc);
        }

        if (f.DefaultJson is not null)
        {
            w.WritePropertyName("default");
            w.WriteRawValue(f.DefaultJson, skipInputValidation: true);
        }

        if (f.Order is not null)
        {
            w.WriteString("order", f.Order);
        }

        if (f.Aliases.Count > 0)
        {
            w.WriteStartArray("aliases");
            foreach (var a in f.Aliases)
            {
                w.WriteStringValue(a);
            }

            w.WriteEndArray();
        }

        WriteProperties(f.Properties, w);
        w.WriteEndObject();
    }

    private static void WriteProperties(IReadOnlyDictionary<string, string> properties, Utf8JsonWriter w)
    {
        foreach (var (key, raw) in properties)
        {
            w.WritePropertyName(key);
            w.WriteRawValue(raw, skipInputValidation: true);
        }
    }
}
