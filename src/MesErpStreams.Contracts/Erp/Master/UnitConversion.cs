namespace MesErpStreams.Contracts.Erp.Master;

/// <summary>
/// Conversion of an alternative unit to the base unit (<c>com.meserp.erp.master.UnitConversion</c>), as in SAP:
/// <c>quantityInBaseUnit = quantity * Numerator / Denominator</c>.
/// </summary>
public sealed record UnitConversion
{
    /// <summary>Alternative unit of measure code.</summary>
    public required string Unit { get; init; }

    /// <summary>Numerator of the conversion factor (&gt; 0).</summary>
    public required long Numerator { get; init; }

    /// <summary>Denominator of the conversion factor (&gt; 0).</summary>
    public required long Denominator { get; init; }
}
