namespace MesErpStreams.Avro;

/// <summary>A fixed value without a .NET type.</summary>
public sealed class GenericFixed : IEquatable<GenericFixed>
{
    /// <summary>Creates a fixed value.</summary>
    /// <param name="schema">The fixed schema.</param>
    /// <param name="value">Exactly <see cref="FixedSchema.Size"/> bytes.</param>
    /// <exception cref="ArgumentException">The length differs from the schema's size.</exception>
    public GenericFixed(FixedSchema schema, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length != schema.Size)
        {
            throw new ArgumentException($"Fixed '{schema.FullName}' needs {schema.Size} bytes, got {value.Length}", nameof(value));
        }

        Schema = schema;
        Value = value;
    }

    /// <summary>The fixed schema.</summary>
    public FixedSchema Schema { get; }

    /// <summary>The bytes.</summary>
    public byte[] Value { get; }

    /// <inheritdoc />
    public bool Equals(GenericFixed? other) => other is not null && other.Schema.FullName == Schema.FullName && other.Value.AsSpan().SequenceEqual(Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GenericFixed);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Schema.FullName, Value.Length);

    /// <inheritdoc />
    public override string ToString() => Convert.ToHexString(Value);
}
