namespace MesErpStreams.Pipeline;

/// <summary>Kafka header names the pipeline writes on commands and dead letters.</summary>
public static class PipelineHeaders
{
    /// <summary>Reason code of a dead-lettered event (see <see cref="Domain.RejectReasons"/>).</summary>
    public const string Reason = "meserp.reason";

    /// <summary>Human-readable explanation of the reason.</summary>
    public const string ReasonDetail = "meserp.reason.detail";

    /// <summary>Topic the event was consumed from (replay sends it back there).</summary>
    public const string SourceTopic = "meserp.source.topic";

    /// <summary>Partition the event was consumed from.</summary>
    public const string SourcePartition = "meserp.source.partition";

    /// <summary>Offset the event was consumed from.</summary>
    public const string SourceOffset = "meserp.source.offset";

    /// <summary>On commands: topic of the event record the command was made from (lineage; not a dead-letter origin).</summary>
    public const string EventTopic = "meserp.event.topic";

    /// <summary>On commands: partition of the event record the command was made from.</summary>
    public const string EventPartition = "meserp.event.partition";

    /// <summary>On commands: offset of the event record the command was made from.</summary>
    public const string EventOffset = "meserp.event.offset";

    /// <summary>The MES event id; a command carries one such header per source event id.</summary>
    public const string EventId = "meserp.event.id";

    /// <summary>
    /// On commands: when the source event was accepted at the edge, i.e. its record timestamp on the event topic
    /// (Unix ms, decimal text); the sink measures end-to-end latency from it.
    /// </summary>
    public const string AcceptedAt = "meserp.event.accepted-at";

    /// <summary>On commands: the source event's occurredAt on the shop floor (Unix ms, decimal text).</summary>
    public const string OccurredAt = "meserp.event.occurred-at";

    /// <summary>The MES event type (ProductionConfirmation, …).</summary>
    public const string EventType = "meserp.event.type";

    /// <summary>When the pipeline dead-lettered the event (Unix ms, decimal text).</summary>
    public const string DeadLetteredAt = "meserp.dead-lettered.at";

    /// <summary>Idempotency key of a command.</summary>
    public const string IdempotencyKey = "meserp.idempotency.key";

    /// <summary>W3C trace context header: on commands and dead letters a child span of the event's (same trace id).</summary>
    public const string TraceParent = "traceparent";

    /// <summary>W3C trace state header.</summary>
    public const string TraceState = "tracestate";
}
