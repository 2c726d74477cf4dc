namespace MesErpStreams.Avro;

/// <summary>A named schema (record, enum or fixed).</summary>
public abstract class NamedSchema : Schema
{
    private protected NamedSchema(string name, string nameSpace, IReadOnlyList<string> aliases, string? doc)
    {
        Name = name;
        Namespace = nameSpace;
        FullName = nameSpace.Length == 0 ? name : nameSpace + "." + name;
        Aliases = aliases;
        Doc = doc;
    }

    /// <summary>The unqualified name.</summary>
    public string Name { get; }

    /// <summary>The namespace; empty for the null namespace.</summary>
    public string Namespace { get; }

    /// <summary>The full name (namespace and name).</summary>
    public string FullName { get; }

    /// <summary>Full names of the aliases of this type.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The documentation, or null.</summary>
    public string? Doc { get; }
}
