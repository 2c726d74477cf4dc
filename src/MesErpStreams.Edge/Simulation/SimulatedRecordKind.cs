namespace MesErpStreams.Edge.Simulation;

/// <summary>What a <see cref="SimulatedRecord"/> is.</summary>
public enum SimulatedRecordKind
{
    /// <summary>A work order or material master record for a compacted <c>erp.master.*</c> topic.</summary>
    MasterData,

    /// <summary>A valid MES event, first delivery.</summary>
    Event,

    /// <summary>A re-send of an event already delivered (same event id).</summary>
    Duplicate,

    /// <summary>An event the processor must dead-letter (it fails validation).</summary>
    Invalid,
}
