namespace MesErpStreams.Avro;

/// <summary>Binds a property (or positional record parameter) to an Avro field with a different name.</summary>
/// <param name="name">The Avro field name.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class AvroFieldAttribute(string name) : Attribute
{
    /// <summary>The Avro field name.</summary>
    public string Name { get; } = name;
}
