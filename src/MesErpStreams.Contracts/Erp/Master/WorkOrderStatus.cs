using MesErpStreams.Avro;

namespace MesErpStreams.Contracts.Erp.Master;

/// <summary>Lifecycle status of a work order (<c>com.meserp.erp.master.WorkOrderStatus</c>).</summary>
public enum WorkOrderStatus
{
    /// <summary>A status this reader does not know (added by a newer writer).</summary>
    [AvroEnumSymbol("UNKNOWN")] Unknown = 0,

    /// <summary>Created, not released (CRTD).</summary>
    [AvroEnumSymbol("CREATED")] Created,

    /// <summary>Released for production (REL).</summary>
    [AvroEnumSymbol("RELEASED")] Released,

    /// <summary>Partially confirmed (PCNF).</summary>
    [AvroEnumSymbol("PARTIALLY_CONFIRMED")] PartiallyConfirmed,

    /// <summary>Finally confirmed (CNF).</summary>
    [AvroEnumSymbol("CONFIRMED")] Confirmed,

    /// <summary>Technically completed (TECO).</summary>
    [AvroEnumSymbol("TECHNICALLY_COMPLETED")] TechnicallyCompleted,

    /// <summary>Closed (CLSD).</summary>
    [AvroEnumSymbol("CLOSED")] Closed,

    /// <summary>Flagged for deletion (DLFL).</summary>
    [AvroEnumSymbol("DELETED")] Deleted,
}
