using System.Text.Json;

namespace MesErpStreams.Avro.Internal;

/// <summary>Attribute readers and name rules of the schema parser.</summary>
internal sealed partial class SchemaParser
{
    private static void ApplyLogicalType(Schema schema, JsonElement e, HashSet<string> reserved)
    {
        var exclude = new HashSet<string>(reserved, StringComparer.Ordinal);
        if (e.TryGetProperty("logicalType", out var lt) && lt.ValueKind == JsonValueKind.String
            && LogicalTypes.TryApply(schema, lt.GetString()!, e))
        {
            exclude.Add("logicalType");
            if (schema.LogicalTypeName == LogicalTypes.Decimal)
            {
                exclude.Add("precision");
                exclude.Add("scale");
            }
        }

        schema.SetProperties(CollectProperties(e, exclude));
    }

    private static Dictionary<string, string> CollectProperties(JsonElement e, HashSet<string> reserved)
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!reserved.Contains(p.Name))
            {
                props[p.Name] = p.Value.GetRawText();
            }
        }

        return props;
    }

    private static (string Name, string Namespace) ReadName(JsonElement e, string enclosingNamespace, string path)
    {
        var name = RequireString(e, "name", path);
        string space;
        if (name.Contains('.', StringComparison.Ordinal))
        {
            var dot = name.LastIndexOf('.');
            space = name[..dot];
            name = name[(dot + 1)..];
        }
        else if (e.TryGetProperty("namespace", out var nsElement) && nsElement.ValueKind != JsonValueKind.Null)
        {
            if (nsElement.ValueKind != JsonValueKind.String)
            {
                throw new AvroSchemaParseException($"'namespace' at {path} must be a string");
            }

            space = nsElement.GetString()!;
        }
        else
        {
            space = enclosingNamespace;
        }

        ValidateName(name, path, "name");
        if (space.Length > 0)
        {
            foreach (var part in space.Split('.'))
            {
                ValidateName(part, path, "namespace part");
            }
        }

        if (space.Length == 0 && PrimitiveNames.Contains(name))
        {
            throw new AvroSchemaParseException($"A named type may not use the primitive name '{name}' (at {path})");
        }

        return (name, space);
    }

    private static string[] ReadAliases(JsonElement e, string space, string path)
    {
        if (!e.TryGetProperty("aliases", out var a))
        {
            return [];
        }

        return ReadStringArray(a, path + "aliases").Select(alias =>
            alias.Contains('.', StringComparison.Ordinal) || space.Length == 0 ? alias : space + "." + alias).ToArray();
    }

    private static string? ReadDoc(JsonElement e) =>
        e.TryGetProperty("doc", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;

    private static string RequireString(JsonElement e, string property, string path)
    {
        if (!e.TryGetProperty(property, out var v) || v.ValueKind != JsonValueKind.String)
        {
            throw new AvroSchemaParseException($"Missing or non-string '{property}' at {path}");
        }

        return v.GetString()!;
    }

    private static List<string> ReadStringArray(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new AvroSchemaParseException($"Expected an array of strings at {path}");
        }

        var list = new List<string>();
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new AvroSchemaParseException($"Expected an array of strings at {path}");
            }

            list.Add(item.GetString()!);
        }

        return list;
    }

    private static void ValidateName(string name, string path, string what)
    {
        var valid = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_');
        for (var i = 1; valid && i < name.Length; i++)
        {
            valid = char.IsAsciiLetterOrDigit(name[i]) || name[i] == '_';
        }

        if (!valid)
        {
            throw new AvroSchemaParseException($"Invalid {what} '{name}' at {path}: must match [A-Za-z_][A-Za-z0-9_]*");
        }
    }
}
