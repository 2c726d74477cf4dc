namespace MesErpStreams.Reconciliation.Internal;

/// <summary>The figures reconciled per plant and work order.</summary>
internal enum Measure
{
    /// <summary>Confirmed yield (order confirmations).</summary>
    Confirmed,

    /// <summary>Scrap (order confirmations; 551 movements).</summary>
    Scrapped,

    /// <summary>Components issued to the order (261 movements).</summary>
    Consumed,

    /// <summary>Quality holds placed (batch blocked).</summary>
    HoldPlaced,

    /// <summary>Quality holds released (batch unblocked).</summary>
    HoldReleased,

    /// <summary>Any other ERP document (only ever on the ERP side).</summary>
    Other,
}
