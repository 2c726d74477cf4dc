namespace MesErpStreams.Sink;

/// <summary>Names of the sink's System.Diagnostics.Metrics instruments.</summary>
public static class SinkTelemetry
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "MesErpStreams.Sink";

    /// <summary>Counter, tag <c>outcome</c> (posted, duplicate, rejected, dead_lettered).</summary>
    public const string Postings = "meserp.sink.postings";

    /// <summary>Histogram (s), tag <c>outcome</c> (the ERP call classification).</summary>
    public const string ErpCallDuration = "meserp.sink.erp.call.duration";

    /// <summary>Histogram (s): command creation to ERP acknowledgement.</summary>
    public const string EndToEndLatency = "meserp.sink.end_to_end.latency";

    /// <summary>Counter, tag <c>tier</c>: commands sent to a retry tier (<c>held</c>=true when routed behind their key).</summary>
    public const string Retries = "meserp.sink.retries";

    /// <summary>Counter, tag <c>class</c>: dead letters.</summary>
    public const string DeadLetters = "meserp.sink.dead_letters";

    /// <summary>Gauge: 0 closed, 1 half-open, 2 open (or isolated).</summary>
    public const string CircuitState = "meserp.sink.circuit.state";

    /// <summary>Counter: requests that had to wait for the rate limiter or a Retry-After.</summary>
    public const string RateLimitWaits = "meserp.sink.rate_limit.waits";

    /// <summary>Up-down counter: ERP calls in flight.</summary>
    public const string InFlight = "meserp.sink.in_flight";
}
