namespace MesErpStreams.Sink;

/// <summary>
/// Kafka header names the sink writes on retry and dead-letter records (values are UTF-8 text). Dead-letter and
/// retry records keep the original command bytes, key and headers (trace context included) and add these.
/// </summary>
public static class SinkHeaders
{
    /// <summary>Failure class: <c>validation</c>, <c>conflict</c>, <c>invalid-command</c>, <c>deserialization</c>, <c>server-error</c>, <c>throttled</c>, <c>timeout</c>, <c>connection</c>, <c>auth</c>.</summary>
    public const string FailureClass = "meserp.failure.class";

    /// <summary>HTTP status of the last failed call (absent when no answer arrived).</summary>
    public const string HttpStatus = "meserp.failure.http-status";

    /// <summary>Failure message of the last failed call.</summary>
    public const string Message = "meserp.failure.message";

    /// <summary>Number of ERP calls that failed for this command so far.</summary>
    public const string Attempts = "meserp.failure.attempts";

    /// <summary>Time of the first failure (ISO-8601 UTC).</summary>
    public const string FirstFailureAt = "meserp.failure.first-at";

    /// <summary>Time of the last failure (ISO-8601 UTC).</summary>
    public const string LastFailureAt = "meserp.failure.last-at";

    /// <summary>Topic the command was first read from.</summary>
    public const string OriginalTopic = "meserp.original.topic";

    /// <summary>Partition the command was first read from.</summary>
    public const string OriginalPartition = "meserp.original.partition";

    /// <summary>Offset the command was first read from.</summary>
    public const string OriginalOffset = "meserp.original.offset";

    /// <summary>On retry records: when the record is due (Unix milliseconds).</summary>
    public const string DueAt = "meserp.retry.due-at";

    /// <summary>On retry records: <c>true</c> when the command did not fail itself but was routed behind an earlier command of its key.</summary>
    public const string HeldBehind = "meserp.retry.held-behind";

    /// <summary>
    /// W3C trace context. Retry and dead-letter records and results carry a child span of the consumed record's
    /// (same trace id, new parent id per hop: <c>retry-N</c>, <c>dead-letter</c>, <c>result</c>).
    /// </summary>
    public const string TraceParent = "traceparent";

    /// <summary>
    /// Lineage: a source event id of the command (one header per id). Kept on retry and dead-letter records and
    /// written on results; the same name as the processor's header on commands.
    /// </summary>
    public const string EventId = "meserp.event.id";

    /// <summary>Lineage: the command's idempotency key, kept on retry and dead-letter records and written on results.</summary>
    public const string IdempotencyKey = "meserp.idempotency.key";

    /// <summary>
    /// Latency: when the command's first source event was accepted at the edge (its record timestamp on the event
    /// topic, Unix milliseconds), written by the processor; kept on retry and dead-letter records.
    /// </summary>
    public const string AcceptedAt = "meserp.event.accepted-at";

    /// <summary>Latency: the first source event's occurredAt on the shop floor (Unix milliseconds), written by the processor; kept like <see cref="AcceptedAt"/>.</summary>
    public const string OccurredAt = "meserp.event.occurred-at";
}
