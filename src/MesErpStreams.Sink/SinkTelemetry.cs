namespace MesErpStreams.Sink;

/// <summary>Names of the sink's System.Diagnostics.Metrics instruments.</summary>
public static class SinkTelemetry
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "MesErpStreams.Sink";

    /// <summary>Counter, tag <c>outcome</c> (posted, duplicate, rejected, dead_lettered).</summary>
    public const string Postings = "meserp.sink.postings";

    /// <summary>Histogram (s), tag <c>outcome</c> (the classification of the call's first posting): one sample per ERP call (a batch is one call).</summary>
    public const string ErpCallDuration = "meserp.sink.erp.call.duration";

    /// <summary>
    /// Histogram (s): end to end, from the moment the event was accepted at the edge (its record timestamp on the
    /// event topic, carried on the command as <c>meserp.event.accepted-at</c>) to the ERP's acknowledgement.
    /// </summary>
    public const string EndToEndLatency = "meserp.sink.end_to_end.latency";

    /// <summary>Histogram (s): the event's occurredAt on the shop floor (<c>meserp.event.occurred-at</c>) to the ERP's acknowledgement.</summary>
    public const string OccurredToAckLatency = "meserp.sink.occurred_to_ack.latency";

    /// <summary>Histogram (s): the command's creation by the processor to the ERP's acknowledgement (the sink's stage).</summary>
    public const string CommandToAckLatency = "meserp.sink.command_to_ack.latency";

    /// <summary>Histogram: postings per ERP call (1 without batching).</summary>
    public const string BatchSize = "meserp.sink.erp.batch.size";

    /// <summary>Counter, tag <c>tier</c>: commands sent to a retry tier (<c>held</c>=true when routed behind their key).</summary>
    public const string Retries = "meserp.sink.retries";

    /// <summary>Counter, tag <c>class</c>: dead letters.</summary>
    public const string DeadLetters = "meserp.sink.dead_letters";

    /// <summary>Gauge: 0 closed, 1 half-open, 2 open (or isolated).</summary>
    public const string CircuitState = "meserp.sink.circuit.state";

    /// <summary>Counter, tag <c>class</c>: ERP calls of a posting repeated in place because the ERP was unavailable (server-error, timeout, connection, auth) or throttling.</summary>
    public const string HeldInPlace = "meserp.sink.erp.held_in_place";

    /// <summary>Gauge (Unix seconds): since when the ERP has been unavailable (the first call of the current run of unavailable calls); 0 while it answers.</summary>
    public const string ErpUnavailableSince = "meserp.sink.erp.unavailable_since";

    /// <summary>Counter: requests that had to wait for the rate limiter or a Retry-After.</summary>
    public const string RateLimitWaits = "meserp.sink.rate_limit.waits";

    /// <summary>Up-down counter: ERP calls in flight.</summary>
    public const string InFlight = "meserp.sink.in_flight";
}
