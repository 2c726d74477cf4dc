namespace MesErpStreams.Avro;

/// <summary>A map schema (keys are strings).</summary>
public sealed class MapSchema : Schema
{
    internal MapSchema(Schema values)
    {
        Values = values;
    }

    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Map;

    /// <summary>The schema of the values.</summary>
    public Schema Values { get; }
}
