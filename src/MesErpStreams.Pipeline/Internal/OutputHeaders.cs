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
        };
        AddSource(headers, topic, partition, offset);
        headers.Add(PipelineHeaders.EventId, Encoding.UTF8.GetBytes(e.EventId.ToString()));
        headers.Add(PipelineHeaders.EventType, Encoding.UTF8.GetBytes(e.Kind.ToString()));
        headers.Add(PipelineHeaders.DeadLetteredAt, Number(nowMs));
        AddTrace(headers, TraceParent.ChildOf(e.Trace?.Traceparent, e.EventId, "dead-letter").Value, e.Trace?.Tracestate);
        return headers;
    }

    /// <summary>
    /// A record that cannot be decoded, dead-lettered as it is: its own headers, the <see cref="DeadLetterHeaders"/>
    /// (stage deserialize, the exception) and, as on every dead letter, its origin for replay.
    /// </summary>
    public static Headers Undecodable(Headers? original, string topic, int partition, long offset, string node, string applicationId, Exception ex)
    {
        var headers = new Headers();
        if (original is not null)
        {
            foreach (var h in original)
            {
                headers.Add(h.Key, h.GetValueBytes());
            }
        }

        headers.Add(DeadLetterHeaders.Topic, Encoding.UTF8.GetBytes(topic));
        headers.Add(DeadLetterHeaders.Partition, Number(partition));
        headers.Add(DeadLetterHeaders.Offset, Number(offset));
        headers.Add(DeadLetterHeaders.Stage, Encoding.UTF8.GetBytes(DeadLetterHeaders.DeserializeStage));
        headers.Add(DeadLetterHeaders.Node, Encoding.UTF8.GetBytes(node));
        headers.Add(DeadLetterHeaders.ApplicationId, Encoding.UTF8.GetBytes(applicationId));
        headers.Add(DeadLetterHeaders.ExceptionClass, Encoding.UTF8.GetBytes(ex.GetType().FullName ?? ex.GetType().Name));
        headers.Add(DeadLetterHeaders.ExceptionMessage, Encoding.UTF8.GetBytes(ex.Message.Length > 4096 ? ex.Message[..4096] : ex.Message));
        AddSource(headers, topic, partition, offset);
        return headers;
    }

    /// <summary>Names the size of a dead letter's value that was left out (too large for the topic).</summary>
    public static void ValueOmitted(Headers headers, int bytes) => headers.Add(DeadLetterHeaders.ValueOmittedBytes, Number(bytes));

    /// <summary>Where a dead-lettered record was consumed: replay sends it back there.</summary>
    private static void AddSource(Headers headers, string topic, int partition, long offset)
    {
        headers.Add(PipelineHeaders.SourceTopic, Encoding.UTF8.GetBytes(topic));
        headers.Add(PipelineHeaders.SourcePartition, Number(partition));
        headers.Add(PipelineHeaders.SourceOffset, Number(offset));
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
