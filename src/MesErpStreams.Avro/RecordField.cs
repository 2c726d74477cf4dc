namespace MesErpStreams.Avro;

/// <summary>A field of a <see cref="RecordSchema"/>.</summary>
public sealed class RecordField
{
    internal RecordField(string name, Schema schema, int position, string? defaultJson, IReadOnlyList<string> aliases, string? doc, string? order,
        IReadOnlyDictionary<string, string> properties)
    {
        Properties = properties;
        Name = name;
        Schema = schema;
        Position = position;
        DefaultJson = defaultJson;
        Aliases = aliases;
        Doc = doc;
        Order = order;
    }

    /// <summary>The field name.</summary>
    public string Name { get; }

    /// <summary>The field's schema.</summary>
    public Schema Schema { get; }

    /// <summary>Zero-based position in the record.</summary>
    public int Position { get; }

    /// <summary>True when the field declares a default value.</summary>
    public bool HasDefault => DefaultJson is not null;

    /// <summary>The default value as JSON text (Avro JSON encoding), or null when there is none.</summary>
    public string? DefaultJson { get; }

    /// <summary>Alternative names of the field, used when resolving a writer schema.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The documentation, or null.</summary>
    public string? Doc { get; }

    /// <summary>Attributes of the field that are not part of the specification, as raw JSON text.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>The declared sort order (<c>ascending</c>, <c>descending</c>, <c>ignore</c>), or null when not declared.</summary>
    public string? Order { get; }
}
