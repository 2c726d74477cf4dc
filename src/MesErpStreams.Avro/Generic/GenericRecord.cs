namespace MesErpStreams.Avro;

/// <summary>
/// A record value without a .NET type: field values by name or position. Values use the generic representation
/// (see <see cref="GenericDatum"/>).
/// </summary>
public sealed class GenericRecord : IEquatable<GenericRecord>
{
    private readonly object?[] values;

    /// <summary>Creates a record with every field unset (null).</summary>
    /// <param name="schema">The record schema.</param>
    public GenericRecord(RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        values = new object?[schema.Fields.Count];
    }

    /// <summary>The record's schema.</summary>
    public RecordSchema Schema { get; }

    /// <summary>Gets or sets a field value by position.</summary>
    /// <param name="position">The field position.</param>
    public object? this[int position]
    {
        get => values[position];
        set => values[position] = value;
    }

    /// <summary>Gets or sets a field value by name.</summary>
    /// <param name="name">The field name.</param>
    /// <exception cref="KeyNotFoundException">The record has no such field.</exception>
    public object? this[string name]
    {
        get => values[Position(name)];
        set => values[Position(name)] = value;
    }

    /// <summary>Tries to get a field value by name.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The value when found.</param>
    /// <returns>True when the record has the field.</returns>
    public bool TryGetValue(string name, out object? value)
    {
        var field = Schema.GetField(name);
        value = field is null ? null : values[field.Position];
        return field is not null;
    }

    private int Position(string name) =>
        Schema.GetField(name)?.Position ?? throw new KeyNotFoundException($"Record '{Schema.FullName}' has no field '{name}'");

    /// <inheritdoc />
    public bool Equals(GenericRecord? other)
    {
        if (other is null || other.Schema.FullName != Schema.FullName || other.values.Length != values.Length)
        {
            return false;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!GenericDatum.ValuesEqual(values[i], other.values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GenericRecord);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Schema.FullName, values.Length);

    /// <inheritdoc />
    public override string ToString() =>
        "{" + string.Join(", ", Schema.Fields.Select(f => $"\"{f.Name}\": {GenericDatum.Format(values[f.Position])}")) + "}";
}
