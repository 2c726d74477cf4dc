using MesErpStreams.Avro;

namespace MesErpStreams.Contracts.Common;

/// <summary>W3C Trace Context carried by events, commands and results (<c>com.meserp.common.TraceContext</c>).</summary>
public sealed record TraceContext : IAvroContract<TraceContext>
{
    /// <summary>The schema, from <c>schemas/common/TraceContext.avsc</c>.</summary>
    public static Schema Schema => ContractSchemas.Get("common/TraceContext.avsc");

    /// <summary>W3C <c>traceparent</c> value; null when the producer was not tracing.</summary>
    public string? Traceparent { get; init; }

    /// <summary>W3C <c>tracestate</c> value; null when absent.</summary>
    public string? Tracestate { get; init; }
}
