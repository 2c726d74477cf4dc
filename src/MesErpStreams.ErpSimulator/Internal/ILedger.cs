namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>A document to write: everything the ledger stores except the number and sequence it assigns.</summary>
internal sealed record NewDocument(
    string IdempotencyKey,
    string DocumentType,
    string Plant,
    string? OrderNumber,
    string? Material,
    string? Batch,
    string? MovementType,
    decimal Quantity,
    decimal ScrapQuantity,
    string? Unit,
    string SequenceKey,
    string RequestHash,
    string Payload);

/// <summary>Outcome of a write: the stored entry, and whether it already existed (and matched the request).</summary>
internal sealed record LedgerWrite(LedgerEntry Entry, bool Duplicate, bool PayloadMismatch);

/// <summary>
/// The ERP's book of documents. Idempotency is enforced by the store itself (unique constraint on the key), so
/// concurrent requests with one key create exactly one document whatever the front end does.
/// </summary>
internal interface ILedger : IAsyncDisposable
{
    Task InitializeAsync(CancellationToken ct);

    /// <summary>Writes the document unless its idempotency key exists; then returns the existing one.</summary>
    Task<LedgerWrite> PostAsync(NewDocument document, CancellationToken ct);

    /// <summary>
    /// Writes the postings of one batch in ONE transaction, in request order. For each index 0..<paramref name="count"/>-1,
    /// <paramref name="next"/> is called with the outcomes of the earlier indices so far (null where nothing was written)
    /// and returns the document to write at that index, or null to skip it (a failed dependency, an invalid posting).
    /// Same idempotency rules as <see cref="PostAsync"/>; a key repeated inside the batch is a duplicate of its first
    /// posting (or a mismatch when the content differs). New documents get their sequence numbers in index order.
    /// If <paramref name="next"/> throws, nothing of the batch is written.
    /// </summary>
    /// <returns>One outcome per index, null where <paramref name="next"/> returned null.</returns>
    Task<IReadOnlyList<LedgerWrite?>> PostBatchAsync(int count, Func<int, IReadOnlyList<LedgerWrite?>, NewDocument?> next, CancellationToken ct);

    Task<LedgerEntry?> FindByKeyAsync(string idempotencyKey, CancellationToken ct);

    /// <summary>Documents of one order (or material/batch) in posting sequence.</summary>
    Task<IReadOnlyList<LedgerEntry>> BySequenceKeyAsync(string sequenceKey, string? plant, CancellationToken ct);

    /// <summary>All documents in posting order (for reconciliation), optionally of one plant.</summary>
    Task<IReadOnlyList<LedgerEntry>> AllAsync(string? plant, CancellationToken ct);

    Task<IReadOnlyList<LedgerTotal>> TotalsAsync(string? plant, CancellationToken ct);

    Task<bool> DeleteAsync(string idempotencyKey, CancellationToken ct);

    Task<long> CountAsync(CancellationToken ct);
}
