namespace MesErpStreams.Sink.Erp;

/// <summary>Classification of one ERP call.</summary>
public enum ErpOutcomeKind
{
    /// <summary>The ERP created a document.</summary>
    Posted,

    /// <summary>The ERP already had a document for the idempotency key (a success: the posting exists once).</summary>
    Duplicate,

    /// <summary>The ERP rejected the posting (validation, 4xx): retrying cannot help; dead-letter it.</summary>
    PermanentFailure,

    /// <summary>The ERP could not answer now (5xx, 429, timeout, connection refused, auth): retry later.</summary>
    TransientFailure,
}
