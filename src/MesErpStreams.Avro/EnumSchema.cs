namespace MesErpStreams.Avro;

/// <summary>An enum schema: a named list of symbols.</summary>
public sealed class EnumSchema : NamedSchema
{
    private readonly Dictionary<string, int> index;

    internal EnumSchema(string name, string nameSpace, IReadOnlyList<string> aliases, string? doc, IReadOnlyList<string> symbols, string? defaultSymbol)
        : base(name, nameSpace, aliases, doc)
    {
        Symbols = symbols;
        Default = defaultSymbol;
        index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < symbols.Count; i++)
        {
            index[symbols[i]] = i;
        }
    }

    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Enum;

    /// <summary>The symbols in declaration order (the binary encoding is the zero-based index).</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>The default symbol a reader uses for writer symbols it does not know, or null.</summary>
    public string? Default { get; }

    /// <summary>Index of a symbol.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <returns>The index, or -1 when the symbol is not defined.</returns>
    public int IndexOf(string symbol) => index.TryGetValue(symbol, out var i) ? i : -1;
}
