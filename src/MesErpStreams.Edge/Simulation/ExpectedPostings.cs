namespace MesErpStreams.Edge.Simulation;

/// <summary>What the pipeline must make of a simulator run.</summary>
/// <param name="IdempotencyKeys">The ERP commands (by idempotency key) the valid, unique events imply: none more, none less.</param>
/// <param name="DeadLetteredEventIds">Events the processor must dead-letter (invalid, rejected by mapping, or master data never published).</param>
/// <param name="Commands">The same commands in the order of their events' first delivery, with what ordering is judged by.</param>
public sealed record ExpectedPostings(IReadOnlySet<string> IdempotencyKeys, IReadOnlySet<Guid> DeadLetteredEventIds, IReadOnlyList<ExpectedCommand> Commands);

/// <summary>One command a run implies.</summary>
/// <param name="EventId">The MES event behind it.</param>
/// <param name="IdempotencyKey">The command's idempotency key (one ERP document).</param>
/// <param name="OrderKey">The ordering key (work order, or material batch for holds): the ERP must see one key's postings in event order.</param>
/// <param name="EventType">The event's contract name (ProductionConfirmation, ScrapReport, MaterialConsumption, QualityHold).</param>
public sealed record ExpectedCommand(Guid EventId, string IdempotencyKey, string OrderKey, string EventType);
