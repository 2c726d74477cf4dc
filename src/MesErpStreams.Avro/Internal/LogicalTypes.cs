using System.Numerics;
using System.Text.Json;

namespace MesErpStreams.Avro.Internal;

/// <summary>Recognition of the specification's logical types on their base types.</summary>
internal static class LogicalTypes
{
    public const string Decimal = "decimal";
    public const string Uuid = "uuid";
    public const string Date = "date";
    public const string TimeMillis = "time-millis";
    public const string TimeMicros = "time-micros";
    public const string TimestampMillis = "timestamp-millis";
    public const string TimestampMicros = "timestamp-micros";
    public const string LocalTimestampMillis = "local-timestamp-millis";
    public const string LocalTimestampMicros = "local-timestamp-micros";

    /// <summary>Applies a logical type when it is valid for the schema's base type; returns false (ignored) otherwise.</summary>
    public static bool TryApply(Schema schema, string name, JsonElement e)
    {
        var type = schema.Type;
        switch (name)
        {
            case Decimal when type is SchemaType.Bytes or SchemaType.Fixed:
                if (!e.TryGetProperty("precision", out var p) || p.ValueKind != JsonValueKind.Number
                    || !p.TryGetInt32(out var precision) || precision <= 0)
                {
                    return false;
                }

                var scale = 0;
                if (e.TryGetProperty("scale", out var s)
                    && (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out scale)))
                {
                    return false;
                }

                if (scale < 0 || scale > precision)
                {
                    return false;
                }

                if (schema is FixedSchema f && precision > MaxFixedPrecision(f.Size))
                {
                    return false;
                }

                schema.SetLogicalType(name, precision, scale);
                return true;
            case Uuid when type == SchemaType.String:
            case Date or TimeMillis when type == SchemaType.Int:
            case TimeMicros or TimestampMillis or TimestampMicros or LocalTimestampMillis or LocalTimestampMicros
                when type == SchemaType.Long:
                schema.SetLogicalType(name, null, null);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Largest decimal precision a two's-complement value of <paramref name="size"/> bytes can hold.</summary>
    public static int MaxFixedPrecision(int size)
    {
        if (size <= 0)
        {
            return 0;
        }

        var max = BigInteger.Pow(2, (8 * size) - 1) - 1;
        return max.ToString(System.Globalization.CultureInfo.InvariantCulture).Length - 1;
    }
}
