using System.Text;
using MesErpStreams.Avro.Internal;

namespace MesErpStreams.Avro;

/// <summary>
/// An Avro schema (Avro 1.11 specification). Instances are immutable once <see cref="Parse"/> returns and safe to
/// share between threads.
/// </summary>
public abstract class Schema
{
    private static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>();
    private string? canonicalForm;
    private string? json;
    private long fingerprint;
    private bool hasFingerprint;
    private int minEncodedSize = -1;

    private protected Schema()
    {
    }

    /// <summary>The schema type.</summary>
    public abstract SchemaType Type { get; }

    /// <summary>
    /// The logical type (<c>decimal</c>, <c>uuid</c>, <c>date</c>, <c>time-millis</c>, <c>time-micros</c>,
    /// <c>timestamp-millis</c>, <c>timestamp-micros</c>, <c>local-timestamp-millis</c>, <c>local-timestamp-micros</c>),
    /// or null. A logical type that is unknown or invalid for its base type is ignored, as the specification requires,
    /// and kept only as a property.
    /// </summary>
    public string? LogicalTypeName { get; private set; }

    /// <summary>Precision of a <c>decimal</c> logical type; null otherwise.</summary>
    public int? Precision { get; private set; }

    /// <summary>Scale of a <c>decimal</c> logical type; null otherwise.</summary>
    public int? Scale { get; private set; }

    /// <summary>Attributes that are not part of the specification (and ignored logical types), as raw JSON text.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; private set; } = NoProperties;

    /// <summary>Parses a schema from its JSON text.</summary>
    /// <param name="json">The schema JSON.</param>
    /// <returns>The parsed schema.</returns>
    /// <exception cref="AvroSchemaParseException">The text is not JSON or not a valid Avro schema.</exception>
    public static Schema Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return SchemaParser.Parse(json);
    }

    /// <summary>The Parsing Canonical Form of the schema (the Avro specification's normalisation).</summary>
    /// <returns>The canonical JSON text.</returns>
    public string ToCanonicalForm() => canonicalForm ??= SchemaJsonWriter.WriteCanonical(this);

    /// <summary>The 64-bit Rabin fingerprint (CRC-64-AVRO) of the UTF-8 Parsing Canonical Form.</summary>
    /// <returns>The fingerprint as a signed 64-bit value.</returns>
    public long Fingerprint64()
    {
        if (!hasFingerprint)
        {
            fingerprint = RabinFingerprint.Compute(Encoding.UTF8.GetBytes(ToCanonicalForm()));
            hasFingerprint = true;
        }

        return fingerprint;
    }

    /// <summary>The full schema JSON, including docs, defaults, aliases, logical types and custom properties.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => json ??= SchemaJsonWriter.WriteFull(this);

    /// <inheritdoc />
    public override string ToString() => ToJson();

    /// <summary>Smallest encoding of one value (cached; used to bound block counts when decoding).</summary>
    internal int MinEncodedSize => minEncodedSize >= 0 ? minEncodedSize : minEncodedSize = SchemaInfo.MinEncodedSize(this);

    internal void SetLogicalType(string name, int? precision, int? scale)
    {
        LogicalTypeName = name;
        Precision = precision;
        Scale = scale;
    }

    internal void SetProperties(IReadOnlyDictionary<string, string> properties) =>
        Properties = properties.Count == 0 ? NoProperties : properties;
}
