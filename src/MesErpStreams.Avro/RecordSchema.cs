namespace MesErpStreams.Avro;

/// <summary>A record schema: a named list of fields.</summary>
public sealed class RecordSchema : NamedSchema
{
    private RecordField[] fields = [];
    private Dictionary<string, RecordField> byName = new(StringComparer.Ordinal);

    internal RecordSchema(string name, string nameSpace, IReadOnlyList<string> aliases, string? doc, bool isError)
        : base(name, nameSpace, aliases, doc)
    {
        IsError = isError;
    }

    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Record;

    /// <summary>True when declared with type <c>error</c> (protocol errors), which otherwise behaves as a record.</summary>
    public bool IsError { get; }

    /// <summary>The fields in declaration order.</summary>
    public IReadOnlyList<RecordField> Fields => fields;

    /// <summary>Looks a field up by name.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The field, or null.</returns>
    public RecordField? GetField(string name) => byName.GetValueOrDefault(name);

    internal void SetFields(RecordField[] value)
    {
        fields = value;
        byName = value.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }
}
