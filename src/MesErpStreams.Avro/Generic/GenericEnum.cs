namespace MesErpStreams.Avro;

/// <summary>An enum value without a .NET enum type.</summary>
public sealed class GenericEnum : IEquatable<GenericEnum>
{
    /// <summary>Creates an enum value.</summary>
    /// <param name="schema">The enum schema.</param>
    /// <param name="symbol">The symbol.</param>
    /// <exception cref="ArgumentException">The symbol is not defined by the schema.</exception>
    public GenericEnum(EnumSchema schema, string symbol)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(symbol);
        Index = schema.IndexOf(symbol);
        if (Index < 0)
        {
            throw new ArgumentException($"'{symbol}' is not a symbol of enum '{schema.FullName}'", nameof(symbol));
        }

        Schema = schema;
        Symbol = symbol;
    }

    /// <summary>The enum schema.</summary>
    public EnumSchema Schema { get; }

    /// <summary>The symbol.</summary>
    public string Symbol { get; }

    /// <summary>The symbol's index in the schema.</summary>
    public int Index { get; }

    /// <inheritdoc />
    public bool Equals(GenericEnum? other) => other is not null && other.Symbol == Symbol && other.Schema.FullName == Schema.FullName;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GenericEnum);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Schema.FullName, Symbol);

    /// <inheritdoc />
    public override string ToString() => Symbol;
}
