using MesErpStreams.Avro;

namespace MesErpStreams.Contracts.Erp.Master;

/// <summary>
/// ERP master data: a material at a plant with its units of measure (<c>com.meserp.erp.master.Material</c>,
/// compacted topic <c>erp.master.materials</c>, keyed by plant + material number).
/// </summary>
public sealed record Material : IAvroContract<Material>
{
    /// <summary>The schema, from <c>schemas/erp/master/Material.avsc</c>.</summary>
    public static Schema Schema => ContractSchemas.Get("erp/master/Material.avsc");

    /// <summary>ERP material number.</summary>
    public required string MaterialNumber { get; init; }

    /// <summary>ERP plant code.</summary>
    public required string Plant { get; init; }

    /// <summary>Material short text.</summary>
    public string? Description { get; init; }

    /// <summary>Base unit of measure: ERP stock and postings use it.</summary>
    public required string BaseUnit { get; init; }

    /// <summary>Alternative units with their conversion to the base unit (empty by default).</summary>
    public IReadOnlyList<UnitConversion> AlternativeUnits { get; init; } = [];

    /// <summary>True when stock is managed in batches.</summary>
    public required bool BatchManaged { get; init; }

    /// <summary>Default storage location for goods movements.</summary>
    public string? DefaultStorageLocation { get; init; }

    /// <summary>Material type, e.g. FERT, ROH.</summary>
    public string? MaterialType { get; init; }

    /// <summary>When the ERP last changed the material (UTC).</summary>
    public required DateTimeOffset ChangedAt { get; init; }
}
