namespace MesErpStreams.Edge;

/// <summary>Headers the edge forwarder puts on every record it forwards.</summary>
public static class EdgeHeaders
{
    /// <summary>The outbox's id (stable for the life of the outbox file).</summary>
    public const string EdgeId = "meserp.edge.id";

    /// <summary>The record's outbox sequence number (decimal text); increasing per edge.</summary>
    public const string Sequence = "meserp.edge.seq";

    /// <summary>The event id (same header name as the pipeline's dead letters).</summary>
    public const string EventId = "meserp.event.id";

    /// <summary>The event type (ProductionConfirmation, …).</summary>
    public const string EventType = "meserp.event.type";

    /// <summary>W3C trace context of the edge's hop (the same value as the event's <c>trace.traceparent</c> field).</summary>
    public const string TraceParent = "traceparent";
}
