namespace MesErpStreams.Avro.Internal;

/// <summary>Derived facts about schemas used by the codecs.</summary>
internal static class SchemaInfo
{
    /// <summary>Smallest number of bytes one value of the schema encodes to (0 for null and recursive cycles).</summary>
    public static int MinEncodedSize(Schema schema) => MinSize(schema, []);

    private static int MinSize(Schema schema, HashSet<Schema> visiting)
    {
        switch (schema)
        {
            case RecordSchema r:
                if (!visiting.Add(r))
                {
                    return 0;
                }

                long sum = 0;
                foreach (var f in r.Fields)
                {
                    sum += MinSize(f.Schema, visiting);
                }

                visiting.Remove(r);
                return (int)Math.Min(sum, int.MaxValue);
            case FixedSchema f:
                return f.Size;
            default:
                return schema.Type switch
                {
                    SchemaType.Null => 0,
                    SchemaType.Float => 4,
                    SchemaType.Double => 8,
                    _ => 1,
                };
        }
    }

    /// <summary>Display name of a schema for messages: the full name of named types, else the type name.</summary>
    public static string Describe(Schema schema) => schema switch
    {
        NamedSchema n => $"{TypeName(schema.Type)} '{n.FullName}'",
        ArraySchema a => $"array<{Describe(a.Items)}>",
        MapSchema m => $"map<{Describe(m.Values)}>",
        UnionSchema u => "union[" + string.Join(", ", u.Branches.Select(Describe)) + "]",
        _ => schema.LogicalTypeName is null ? TypeName(schema.Type) : $"{TypeName(schema.Type)}({schema.LogicalTypeName})",
    };

    public static string TypeName(SchemaType type) => type switch
    {
        SchemaType.Null => "null",
        SchemaType.Boolean => "boolean",
        SchemaType.Int => "int",
        SchemaType.Long => "long",
        SchemaType.Float => "float",
        SchemaType.Double => "double",
        SchemaType.Bytes => "bytes",
        SchemaType.String => "string",
        SchemaType.Record => "record",
        SchemaType.Enum => "enum",
        SchemaType.Array => "array",
        SchemaType.Map => "map",
        SchemaType.Union => "union",
        _ => "fixed",
    };
}
