namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Kind of a reconciliation gap.</summary>
internal enum GapKind
{
    /// <summary>MES reported it; the ERP does not have it.</summary>
    Missing,

    /// <summary>The ERP has a document no MES event explains.</summary>
    Extra,

    /// <summary>Both sides have it with different quantities.</summary>
    QuantityMismatch,
}
