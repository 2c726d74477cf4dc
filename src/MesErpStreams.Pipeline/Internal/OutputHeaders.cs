using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Pipeline.Internal;

/// <summary>The headers of the processor's two outputs: commands and dead letters (see <see cref="PipelineHeaders"/>).</summary>
internal static class OutputHeaders
{
    /// <summary>
    /// One meserp.event.id header per source event and the consumed record's position, so lineage finds the command
    /// and the copy of the event it came from without decoding values; the edge acceptance and shop-floor times for
    /// end-to-end latency; the hop's trace context.
    /// </summary>
    public static Headers Command(ErpPostingCommand command, MesEvent e, string topic, int partition, long offset, long acceptedAtMs)
    {
        var headers = new Headers();
        foreach (var id in command.SourceEventIds)
        {
            headers.Add(PipelineHeaders.EventId, Encoding.UTF8.GetBytes(id.ToString()));
        }

        headers.Add(PipelineHeaders.IdempotencyKey, Encoding.UTF8.GetBytes(command.IdempotencyKey));
        headers.Add(PipelineHeaders.EventTopic, Encoding.UTF8.GetBytes(topic));
        headers.Add(PipelineHeaders.EventPartition, Number(partition));
        headers.Add(PipelineHeaders.EventOffset, Number(offset));
        headers.Add(PipelineHeaders.AcceptedAt, Number(acceptedAtMs));
        headers.Add(PipelineHeaders.OccurredAt, Number(e.OccurredAt.ToUnixTimeMilliseconds()));
        AddTrace(headers, command.Trace?.Traceparent, command.Trace?.Tracestate);
        return headers;
    }

    /// <summary>Reason, origin (replay sends the event back there), event id and type, time, and a child span of the event's.</summary>
    public static Headers DeadLetter(MesEvent e, string topic, int partition, long offset, string reason, string detail, long nowMs)
    {
        var headers = new Headers
        {
            { PipelineHeaders.Reason, Encoding.UTF8.GetBytes(reason) },
            { PipelineHeaders.ReasonDetail, Encoding.UTF8.GetBytes(detail) },
            { PipelineHeaders.SourceTopic, Encoding.UTF8.GetBytes(topic) },
            { PipelineHeaders.SourcePartition, Number(partition) },
            { PipelineHeaders.SourceOffset, Number(offset) },
            { PipelineHeaders.EventId, Encoding.UTF8.GetBytes(e.EventId.ToString()) },
            { PipelineHeaders.EventType, Encoding.UTF8.GetBytes(e.Kind.ToString()) },
            { PipelineHeaders.DeadLetteredAt, Number(nowMs) },
        };
        AddTrace(headers, TraceParent.ChildOf(e.Trace?.Traceparent, e.EventId, "dead-letter").Value, e.Trace?.Tracestate);
        return headers;
    }

    private static byte[] Number(long value) => Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes the hop's trace context (a child span of the event's; see docs/lineage.md).</summary>
    private static void AddTrace(Headers headers, string? traceparent, string? tracestate)
    {
        if (traceparent is not null)
        {
            headers.Add(PipelineHeaders.TraceParent, Encoding.UTF8.GetBytes(traceparent));
        }

        if (tracestate is not null)
        {
            headers.Add(PipelineHeaders.TraceState, Encoding.UTF8.GetBytes(tracestate));
        }
    }
}
