namespace MesErpStreams.Replay;

/// <summary>Header names replay reads and writes. The dead-letter headers are those of the processor
/// (<c>PipelineHeaders</c>) and the ERP sink (<c>SinkHeaders</c>); they are repeated here so replay works on
/// any topic without depending on those components.</summary>
public static class ReplayHeaders
{
    /// <summary>Processor dead letters: the reject reason (e.g. MASTER_DATA_MISSING).</summary>
    public const string Reason = "meserp.reason";

    /// <summary>Processor dead letters: the topic the event came from.</summary>
    public const string SourceTopic = "meserp.source.topic";

    /// <summary>Sink dead letters: the failure class (validation, conflict, server-error, throttled, timeout, connection, ...).</summary>
    public const string FailureClass = "meserp.failure.class";

    /// <summary>Sink dead letters: the topic the command came from.</summary>
    public const string OriginalTopic = "meserp.original.topic";

    /// <summary>The MES event id(s) a record carries (events, commands, dead letters), listed by a dry run.</summary>
    public const string EventId = "meserp.event.id";

    /// <summary>The MES event type a record carries, listed by a dry run.</summary>
    public const string EventType = "meserp.event.type";

    /// <summary>Written by replay: <c>topic:partition:offset</c> of the record it copies.</summary>
    public const string ReplayOf = "meserp.replay.of";

    /// <summary>Written by replay: when it was copied (Unix milliseconds).</summary>
    public const string ReplayedAt = "meserp.replay.at";

    /// <summary>Header name prefixes dropped from replayed records (dead-letter diagnostics and retry bookkeeping), so a
    /// replayed record looks like a first delivery.</summary>
    public static IReadOnlyList<string> DroppedPrefixes { get; } =
        ["meserp.reason", "meserp.source.", "meserp.dead-lettered.", "meserp.failure.", "meserp.original.", "meserp.retry.", "meserp.replay."];
}
