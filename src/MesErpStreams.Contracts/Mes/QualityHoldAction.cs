using MesErpStreams.Avro;

namespace MesErpStreams.Contracts.Mes;

/// <summary>What happened to a quality hold (<c>com.meserp.mes.QualityHoldAction</c>).</summary>
public enum QualityHoldAction
{
    /// <summary>A symbol this reader does not know (added by a newer writer).</summary>
    [AvroEnumSymbol("UNKNOWN")] Unknown = 0,

    /// <summary>The hold was placed: the stock must be blocked.</summary>
    [AvroEnumSymbol("PLACED")] Placed,

    /// <summary>The hold was released: the stock may be unblocked.</summary>
    [AvroEnumSymbol("RELEASED")] Released,
}
