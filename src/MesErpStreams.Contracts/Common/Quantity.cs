using MesErpStreams.Avro;

namespace MesErpStreams.Contracts.Common;

/// <summary>A decimal quantity with its unit of measure (<c>com.meserp.common.Quantity</c>).</summary>
public sealed record Quantity : IAvroContract<Quantity>
{
    /// <summary>The schema, from <c>schemas/common/Quantity.avsc</c>.</summary>
    public static Schema Schema => ContractSchemas.Get("common/Quantity.avsc");

    /// <summary>Amount; at most 6 fractional digits and 18 significant digits (decimal(18,6)).</summary>
    public required decimal Value { get; init; }

    /// <summary>Unit of measure code as known to the ERP (e.g. PC, KG).</summary>
    public required string Unit { get; init; }
}
