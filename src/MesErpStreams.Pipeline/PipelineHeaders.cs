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

    /// <summary>The MES event id.</summary>
    public const string EventId = "meserp.event.id";

    /// <summary>The MES event type (ProductionConfirmation, …).</summary>
    public const string EventType = "meserp.event.type";

    /// <summary>When the pipeline dead-lettered the event (Unix ms, decimal text).</summary>
    public const string DeadLetteredAt = "meserp.dead-lettered.at";

    /// <summary>Idempotency key of a command.</summary>
    public const string IdempotencyKey = "meserp.idempotency.key";

    /// <summary>W3C trace context header, carried from the event to the command.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>W3C trace state header.</summary>
    public const string TraceState = "tracestate";
}
