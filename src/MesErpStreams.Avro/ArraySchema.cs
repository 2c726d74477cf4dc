namespace MesErpStreams.Avro;

/// <summary>An array schema.</summary>
public sealed class ArraySchema : Schema
{
    internal ArraySchema(Schema items)
    {
        Items = items;
    }

    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Array;

    /// <summary>The schema of the items.</summary>
    public Schema Items { get; }
}
