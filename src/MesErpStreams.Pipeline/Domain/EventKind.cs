namespace MesErpStreams.Pipeline.Domain;

/// <summary>The four MES event types.</summary>
public enum EventKind
{
    /// <summary>ProductionConfirmation.</summary>
    ProductionConfirmation,

    /// <summary>ScrapReport.</summary>
    ScrapReport,

    /// <summary>MaterialConsumption.</summary>
    MaterialConsumption,

    /// <summary>QualityHold.</summary>
    QualityHold,
}
