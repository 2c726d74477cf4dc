namespace MesErpStreams.Pipeline.Domain;

/// <summary>How quantities are rounded when converted into the ERP base unit.</summary>
public sealed class MappingOptions
{
    /// <summary>Decimals of base-unit quantities sent to the ERP (0–6). Default 3, the usual ERP quantity precision.</summary>
    public int QuantityScale { get; set; } = 3;

    /// <summary>Rounding of converted quantities. Default <see cref="MidpointRounding.AwayFromZero"/> (commercial rounding, as ERPs do).</summary>
    public MidpointRounding Rounding { get; set; } = MidpointRounding.AwayFromZero;
}
