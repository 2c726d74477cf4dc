namespace MesErpStreams.Avro;

/// <summary>Binds a .NET enum member to an Avro enum symbol with a different name.</summary>
/// <param name="symbol">The Avro symbol.</param>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false)]
public sealed class AvroEnumSymbolAttribute(string symbol) : Attribute
{
    /// <summary>The Avro symbol.</summary>
    public string Symbol { get; } = symbol;
}
