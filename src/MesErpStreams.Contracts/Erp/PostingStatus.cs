using MesErpStreams.Avro;

namespace MesErpStreams.Contracts.Erp;

/// <summary>Outcome of a posting (<c>com.meserp.erp.PostingStatus</c>).</summary>
public enum PostingStatus
{
    /// <summary>A status this reader does not know.</summary>
    [AvroEnumSymbol("UNKNOWN")] Unknown = 0,

    /// <summary>The ERP created a document.</summary>
    [AvroEnumSymbol("POSTED")] Posted,

    /// <summary>The ERP already had a document for the idempotency key.</summary>
    [AvroEnumSymbol("DUPLICATE")] Duplicate,

    /// <summary>The ERP refused the posting (business error, not retried).</summary>
    [AvroEnumSymbol("REJECTED")] Rejected,

    /// <summary>Retries exhausted or unprocessable; the command went to the DLQ.</summary>
    [AvroEnumSymbol("DEAD_LETTERED")] DeadLettered,
}
