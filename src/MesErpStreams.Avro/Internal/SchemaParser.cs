using System.Text.Json;

namespace MesErpStreams.Avro.Internal;

/// <summary>Parses Avro schema JSON into the schema model, enforcing the specification's naming and structure rules.</summary>
internal sealed partial class SchemaParser
{
    private const int MaxNesting = 200;

    private static readonly HashSet<string> PrimitiveNames = new(StringComparer.Ordinal)
    {
        "null", "boolean", "int", "long", "float", "double", "bytes", "string",
    };

    private static readonly HashSet<string> ReservedNamed = new(StringComparer.Ordinal)
    {
        "type", "name", "namespace", "doc", "aliases", "fields", "symbols", "size", "default",
    };

    private static readonly HashSet<string> ReservedField = new(StringComparer.Ordinal) { "name", "type", "doc", "default", "order", "aliases" };

    private static readonly HashSet<string> ReservedOther = new(StringComparer.Ordinal) { "type", "items", "values" };

    private readonly Dictionary<string, NamedSchema> names = new(StringComparer.Ordinal);
    private readonly List<(RecordField Field, JsonElement Default, string Path)> pendingDefaults = [];
    private int depth;

    public static Schema Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 512 });
        }
        catch (JsonException ex)
        {
            throw new AvroSchemaParseException($"Schema is not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            var parser = new SchemaParser();
            var schema = parser.ParseSchema(doc.RootElement, string.Empty, "/");
            foreach (var (field, value, path) in parser.pendingDefaults)
            {
                var error = DefaultValueEncoder.Validate(field.Schema, value);
                if (error is not null)
                {
                    throw new AvroSchemaParseException($"Invalid default for field '{field.Name}' at {path}: {error}");
                }
            }

            return schema;
        }
    }

    private Schema ParseSchema(JsonElement e, string enclosingNamespace, string path)
    {
        if (++depth > MaxNesting)
        {
            throw new AvroSchemaParseException($"Schema nesting deeper than {MaxNesting} at {path}");
        }

        try
        {
            return e.ValueKind switch
            {
                JsonValueKind.String => ResolveName(e.GetString()!, enclosingNamespace, path),
                JsonValueKind.Array => ParseUnion(e, enclosingNamespace, path),
                JsonValueKind.Object => ParseObject(e, enclosingNamespace, path),
                _ => throw new AvroSchemaParseException($"Expected a schema (string, object or array) at {path} but found {e.ValueKind}"),
            };
        }
        finally
        {
            depth--;
        }
    }

    private Schema ResolveName(string name, string enclosingNamespace, string path)
    {
        if (PrimitiveNames.Contains(name))
        {
            return new PrimitiveSchema(PrimitiveType(name));
        }

        if (!name.Contains('.', StringComparison.Ordinal) && enclosingNamespace.Length > 0
            && names.TryGetValue(enclosingNamespace + "." + name, out var inNamespace))
        {
            return inNamespace;
        }

        if (names.TryGetValue(name, out var named))
        {
            return named;
        }

        throw new AvroSchemaParseException($"Undefined type name '{name}' at {path}");
    }

    private UnionSchema ParseUnion(JsonElement e, string ns, string path)
    {
        var branches = new List<Schema>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var branchPath = $"{path}{i}/";
            var branch = ParseSchema(item, ns, branchPath);
            if (branch.Type == SchemaType.Union)
            {
                throw new AvroSchemaParseException($"A union may not immediately contain another union (at {branchPath})");
            }

            var key = branch is NamedSchema n ? n.FullName : branch.Type.ToString();
            if (!seen.Add(key))
            {
                throw new AvroSchemaParseException($"Union contains duplicate type '{key}' at {branchPath}");
            }

            branches.Add(branch);
            i++;
        }

        return new UnionSchema(branches);
    }

    private Schema ParseObject(JsonElement e, string ns, string path)
    {
        if (!e.TryGetProperty("type", out var typeElement))
        {
            throw new AvroSchemaParseException($"Schema object at {path} has no 'type' attribute");
        }

        if (typeElement.ValueKind != JsonValueKind.String)
        {
            // {"type": {...}} or {"type": [...]}: the attribute holds a schema itself.
            return ParseSchema(typeElement, ns, path + "type/");
        }

        var type = typeElement.GetString()!;
        Schema schema;
        switch (type)
        {
            case "record":
            case "error":
                return ParseRecord(e, ns, path, type == "error");
            case "enum":
                return ParseEnum(e, ns, path);
            case "fixed":
                schema = ParseFixed(e, ns, path);
                ApplyLogicalType(schema, e, ReservedNamed);
                return schema;
            case "array":
                if (!e.TryGetProperty("items", out var items))
                {
                    throw new AvroSchemaParseException($"Array schema at {path} has no 'items'");
                }

                schema = new ArraySchema(ParseSchema(items, ns, path + "items/"));
                ApplyLogicalType(schema, e, ReservedOther);
                return schema;
            case "map":
                if (!e.TryGetProperty("values", out var values))
                {
                    throw new AvroSchemaParseException($"Map schema at {path} has no 'values'");
                }

                schema = new MapSchema(ParseSchema(values, ns, path + "values/"));
                ApplyLogicalType(schema, e, ReservedOther);
                return schema;
            default:
                if (PrimitiveNames.Contains(type))
                {
                    schema = new PrimitiveSchema(PrimitiveType(type));
                    ApplyLogicalType(schema, e, ReservedOther);
                    return schema;
                }

                return ResolveName(type, ns, path);
        }
    }

    private RecordSchema ParseRecord(JsonElement e, string ns, string path, bool isError)
    {
        var (name, space) = ReadName(e, ns, path);
        var record = new RecordSchema(name, space, ReadAliases(e, space, path), ReadDoc(e), isError);
        Register(record, path);
        if (!e.TryGetProperty("fields", out var fieldsElement) || fieldsElement.ValueKind != JsonValueKind.Array)
        {
            throw new AvroSchemaParseException($"Record '{record.FullName}' at {path} needs a 'fields' array");
        }

        var fields = new List<RecordField>();
        var fieldNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in fieldsElement.EnumerateArray())
        {
            var fieldPath = $"{path}fields/{fields.Count}/";
            if (f.ValueKind != JsonValueKind.Object)
            {
                throw new AvroSchemaParseException($"Field at {fieldPath} of record '{record.FullName}' must be an object");
            }

            var fieldName = RequireString(f, "name", fieldPath);
            ValidateName(fieldName, fieldPath, "field name");
            if (!fieldNames.Add(fieldName))
            {
                throw new AvroSchemaParseException($"Record '{record.FullName}' has duplicate field '{fieldName}'");
            }

            if (!f.TryGetProperty("type", out var fieldType))
            {
                throw new AvroSchemaParseException($"Field '{fieldName}' of record '{record.FullName}' has no 'type'");
            }

            var fieldSchema = ParseSchema(fieldType, space, fieldPath + "type/");
            string? order = null;
            if (f.TryGetProperty("order", out var orderElement))
            {
                order = orderElement.ValueKind == JsonValueKind.String ? orderElement.GetString() : null;
                if (order is not ("ascending" or "descending" or "ignore"))
                {
                    throw new AvroSchemaParseException($"Field '{fieldName}' has an invalid 'order' (ascending, descending or ignore)");
                }
            }

            var hasDefault = f.TryGetProperty("default", out var defaultElement);
            var fieldAliases = new List<string>();
            if (f.TryGetProperty("aliases", out var aliasElement))
            {
                foreach (var alias in ReadStringArray(aliasElement, fieldPath + "aliases"))
                {
                    ValidateName(alias, fieldPath, "field alias");
                    fieldAliases.Add(alias);
                }
            }

            var field = new RecordField(fieldName, fieldSchema, fields.Count, hasDefault ? defaultElement.GetRawText() : null,
                fieldAliases, ReadDoc(f), order, CollectProperties(f, ReservedField));
            if (hasDefault)
            {
                pendingDefaults.Add((field, defaultElement.Clone(), fieldPath));
            }

            fields.Add(field);
        }

        record.SetFields([.. fields]);
        record.SetProperties(CollectProperties(e, ReservedNamed));
        return record;
    }

    private EnumSchema ParseEnum(JsonElement e, string ns, string path)
    {
        var (name, space) = ReadName(e, ns, path);
        if (!e.TryGetProperty("symbols", out var symbolsElement))
        {
            throw new AvroSchemaParseException($"Enum at {path} has no 'symbols'");
        }

        var symbols = ReadStringArray(symbolsElement, path + "symbols");
        var unique = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in symbols)
        {
            ValidateName(s, path, "enum symbol");
            if (!unique.Add(s))
            {
                throw new AvroSchemaParseException($"Enum '{name}' has duplicate symbol '{s}'");
            }
        }

        string? defaultSymbol = null;
        if (e.TryGetProperty("default", out var def))
        {
            defaultSymbol = def.ValueKind == JsonValueKind.String ? def.GetString() : null;
            if (defaultSymbol is null || !unique.Contains(defaultSymbol))
            {
                throw new AvroSchemaParseException($"Enum '{name}' default '{def.GetRawText()}' is not one of its symbols");
            }
        }

        var schema = new EnumSchema(name, space, ReadAliases(e, space, path), ReadDoc(e), symbols, defaultSymbol);
        Register(schema, path);
        schema.SetProperties(CollectProperties(e, ReservedNamed));
        return schema;
    }

    private FixedSchema ParseFixed(JsonElement e, string ns, string path)
    {
        var (name, space) = ReadName(e, ns, path);
        if (!e.TryGetProperty("size", out var sizeElement) || !sizeElement.TryGetInt32(out var size) || size < 0)
        {
            throw new AvroSchemaParseException($"Fixed '{name}' at {path} needs a non-negative integer 'size'");
        }

        var schema = new FixedSchema(name, space, ReadAliases(e, space, path), ReadDoc(e), size);
        Register(schema, path);
        return schema;
    }

    private void Register(NamedSchema schema, string path)
    {
        if (!names.TryAdd(schema.FullName, schema))
        {
            throw new AvroSchemaParseException($"Type '{schema.FullName}' is defined twice (second definition at {path})");
        }
    }

    private static SchemaType PrimitiveType(string name) => name switch
    {
        "null" => SchemaType.Null,
        "boolean" => SchemaType.Boolean,
        "int" => SchemaType.Int,
        "long" => SchemaType.Long,
        "float" => SchemaType.Float,
        "double" => SchemaType.Double,
        "bytes" => SchemaType.Bytes,
        _ => SchemaType.String,
    };
}
