using MesErpStreams.Contracts.Erp.Master;

namespace MesErpStreams.Pipeline.Domain;

/// <summary>
/// Converts quantities into a material's base unit with its alternative-unit factors, in decimal arithmetic, and
/// rounds explicitly (never by accident of floating point).
/// </summary>
public static class UnitConverter
{
    /// <summary>
    /// Converts <paramref name="quantity"/> in <paramref name="unit"/> to the material's base unit:
    /// <c>quantity × numerator ÷ denominator</c>, rounded to <paramref name="scale"/> decimals with
    /// <paramref name="rounding"/>. Unit codes compare case-insensitively.
    /// </summary>
    /// <returns>False when the material has no conversion for the unit (or a broken one with a zero factor).</returns>
    public static bool TryToBaseUnit(decimal quantity, string unit, Material material, int scale, MidpointRounding rounding, out decimal result)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(material);
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, 6);
        if (string.Equals(unit, material.BaseUnit, StringComparison.OrdinalIgnoreCase))
        {
            result = decimal.Round(quantity, scale, rounding);
            return true;
        }

        foreach (var alt in material.AlternativeUnits)
        {
            if (string.Equals(alt.Unit, unit, StringComparison.OrdinalIgnoreCase))
            {
                if (alt.Numerator <= 0 || alt.Denominator <= 0)
                {
                    break;
                }

                // Multiply first, divide last: decimal keeps 28-29 significant digits, so a factor like 1/3 loses
                // nothing before the single explicit rounding.
                result = decimal.Round(quantity * alt.Numerator / alt.Denominator, scale, rounding);
                return true;
            }
        }

        result = 0;
        return false;
    }
}
