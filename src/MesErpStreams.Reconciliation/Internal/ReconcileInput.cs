using MesErpStreams.Contracts.Erp;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Everything read for one reconciliation.</summary>
/// <param name="Events">Events of the four MES topics (duplicates included; they are removed by event id).</param>
/// <param name="DeadLetters">Event id → reason of events in <c>mes.events.dlq</c>.</param>
/// <param name="Commands">Records of <c>erp.posting-commands</c>.</param>
/// <param name="Results">Records of <c>erp.posting-results</c>.</param>
/// <param name="Ledger">The ERP ledger's documents.</param>
/// <param name="SnapshotTime">When the topics' end offsets were taken: ledger documents posted later may belong to events not read.</param>
/// <param name="Retrying">Idempotency key → the latest record of the command in the sink's retry tiers (null: none read).</param>
/// <param name="CommandOrigins">Idempotency key → the event record the processor made the command of (its <c>meserp.event.*</c> headers), null: none read.</param>
internal sealed record ReconcileInput(
    IReadOnlyList<ObservedEvent> Events,
    IReadOnlyDictionary<Guid, string> DeadLetters,
    IReadOnlyList<ErpPostingCommand> Commands,
    IReadOnlyList<PostingResult> Results,
    IReadOnlyList<LedgerDocument> Ledger,
    DateTimeOffset SnapshotTime,
    IReadOnlyDictionary<string, RetryState>? Retrying = null,
    IReadOnlyDictionary<string, string>? CommandOrigins = null);
