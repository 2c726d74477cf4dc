namespace MesErpStreams.Avro;

/// <summary>A union schema; a value is encoded as the branch index followed by the value.</summary>
public sealed class UnionSchema : Schema
{
    internal UnionSchema(IReadOnlyList<Schema> branches)
    {
        Branches = branches;
    }

    /// <inheritdoc />
    public override SchemaType Type => SchemaType.Union;

    /// <summary>The branches in declaration order.</summary>
    public IReadOnlyList<Schema> Branches { get; }

    /// <summary>Index of the <c>null</c> branch, or -1.</summary>
    public int NullIndex
    {
        get
        {
            for (var i = 0; i < Branches.Count; i++)
            {
                if (Branches[i].Type == SchemaType.Null)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
