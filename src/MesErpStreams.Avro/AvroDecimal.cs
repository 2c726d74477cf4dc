using System.Globalization;
using System.Numerics;

namespace MesErpStreams.Avro;

/// <summary>
/// An Avro decimal too large (or with too many fractional digits) for <see cref="decimal"/>: the unscaled value and
/// the scale. Generic decoding returns <see cref="decimal"/> whenever it can represent the value exactly, and this type
/// otherwise; generic encoding accepts both.
/// </summary>
/// <param name="Unscaled">The unscaled integer value.</param>
/// <param name="Scale">The number of digits after the decimal point.</param>
public readonly record struct AvroDecimal(BigInteger Unscaled, int Scale)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var digits = BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture);
        if (Scale > 0)
        {
            digits = digits.PadLeft(Scale + 1, '0');
            digits = digits[..^Scale] + "." + digits[^Scale..];
        }

        return Unscaled.Sign < 0 ? "-" + digits : digits;
    }
}
