namespace MesErpStreams.Edge.Simulation;

/// <summary>What the pipeline must make of a simulator run.</summary>
/// <param name="IdempotencyKeys">The ERP commands (by idempotency key) the valid, unique events imply: none more, none less.</param>
/// <param name="DeadLetteredEventIds">Events the processor must dead-letter (invalid, rejected by mapping, or master data never published).</param>
public sealed record ExpectedPostings(IReadOnlySet<string> IdempotencyKeys, IReadOnlySet<Guid> DeadLetteredEventIds);
