namespace MesErpStreams.Avro;

/// <summary>A primitive schema: null, boolean, int, long, float, double, bytes or string (possibly with a logical type).</summary>
public sealed class PrimitiveSchema : Schema
{
    internal PrimitiveSchema(SchemaType type)
    {
        Type = type;
    }

    /// <inheritdoc />
    public override SchemaType Type { get; }
}
