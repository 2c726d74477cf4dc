namespace MesErpStreams.Avro;

/// <summary>A fixed schema: a named sequence of exactly <see cref="Size"/> bytes.</summary>
public sealed class FixedSchema : NamedSchema
{
    internal FixedSchema(string name, string nameSpace, IReadOnlyList<string> aliases, string? doc, int size)
        : base(name, nameSpace, aliases, doc)
    {
        Size = size;
    }

    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Fixed;

    /// <summary>The number of bytes.</summary>
    public int Size { get; }
}
