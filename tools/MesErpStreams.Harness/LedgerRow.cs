namespace MesErpStreams.Harness;

/// <summary>One ERP ledger row, as much of it as the fault suite's verdict and the benchmark need.</summary>
/// <param name="DocumentNumber">The ERP document number.</param>
/// <param name="IdempotencyKey">The command's idempotency key (e.g. <c>OC-</c> and the source event id in 32 hex digits).</param>
/// <param name="Plant">Plant of the posting.</param>
/// <param name="SequenceKey">Ordering key (work order, or material batch).</param>
/// <param name="Sequence">Position of the posting within its sequence key, in ledger order.</param>
/// <param name="PostedAt">When the ERP simulator wrote the document (its clock).</param>
public sealed record LedgerRow(string DocumentNumber, string IdempotencyKey, string Plant, string SequenceKey, long Sequence, DateTimeOffset PostedAt);
