using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Edge.Internal;
using MesErpStreams.Pipeline;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Edge;

/// <summary>
/// One validated MES event ready for the outbox: its kind, target topic, Kafka key (from <see cref="EventKeys"/>)
/// and its Avro binary body (schema-less; the registry schema id is added when it is forwarded, so accepting an
/// event never needs the network). Every accepted event is traced: an input without a valid W3C traceparent gets the
/// root of its event's trace (<see cref="Contracts.Common.TraceParent.ForEvent"/>), an input with one gets the edge's
/// child span of it; the body's <c>trace</c> field and the forwarded record's <c>traceparent</c> header carry it.
/// </summary>
public sealed record EdgeEvent
{
    private EdgeEvent(EventKind kind, string topic, string key, Guid eventId, byte[] body, string? traceParent)
    {
        TraceParent = traceParent;
        Kind = kind;
        Topic = topic;
        Key = key;
        EventId = eventId;
        Body = body;
    }

    /// <summary>The event type.</summary>
    public EventKind Kind { get; }

    /// <summary>The topic it goes to (one of <see cref="PipelineTopology.Topics"/>).</summary>
    public string Topic { get; }

    /// <summary>The Kafka key: <c>plant/workOrder</c>, or <c>plant/material/batch</c> for quality holds.</summary>
    public string Key { get; }

    /// <summary>The event's own id (the MES idempotency key).</summary>
    public Guid EventId { get; }

    /// <summary>The W3C traceparent of the edge's hop (also in the body's trace field); null only for events an older
    /// version accepted into the outbox without one.</summary>
    public string? TraceParent { get; }

    /// <summary>Avro binary encoding of the event with its contract schema, without the Confluent wire header.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Validates and encodes an event record (<see cref="ProductionConfirmation"/>, <see cref="ScrapReport"/>,
    /// <see cref="MaterialConsumption"/> or <see cref="QualityHold"/>).</summary>
    /// <param name="mesEvent">The event.</param>
    /// <exception cref="ArgumentException">Not an event record, or it does not fit its Avro schema (e.g. a decimal with more than 6 fractional digits).</exception>
    public static EdgeEvent From(object mesEvent)
    {
        ArgumentNullException.ThrowIfNull(mesEvent);
        var (kind, topic, key, id) = mesEvent switch
        {
            ProductionConfirmation e => (EventKind.ProductionConfirmation, PipelineTopology.Topics.ProductionConfirmations, EventKeys.WorkOrder(e.Plant, e.WorkOrder), e.EventId),
            ScrapReport e => (EventKind.ScrapReport, PipelineTopology.Topics.ScrapReports, EventKeys.WorkOrder(e.Plant, e.WorkOrder), e.EventId),
            MaterialConsumption e => (EventKind.MaterialConsumption, PipelineTopology.Topics.MaterialConsumptions, EventKeys.WorkOrder(e.Plant, e.WorkOrder), e.EventId),
            QualityHold e => (EventKind.QualityHold, PipelineTopology.Topics.QualityHolds, EventKeys.MaterialBatch(e.Plant, e.Material, e.Batch), e.EventId),
            _ => throw new ArgumentException($"{mesEvent.GetType().Name} is not a MES event record", nameof(mesEvent)),
        };
        if (id == Guid.Empty)
        {
            throw new ArgumentException("eventId must not be the empty GUID", nameof(mesEvent));
        }

        var traced = Traced(mesEvent, id, out var traceParent);
        return new EdgeEvent(kind, topic, key, id, EventCodecs.Encode(traced), traceParent);
    }

    /// <summary>Rebuilds an event read back from the outbox (no re-validation).</summary>
    internal static EdgeEvent Restore(EventKind kind, string topic, string key, Guid eventId, byte[] body, string? traceParent) =>
        new(kind, topic, key, eventId, body, traceParent);

    /// <summary>
    /// The event with the edge's trace context: a child of a valid input traceparent (its tracestate kept), else the
    /// event's root (a malformed input value restarts the trace and drops tracestate, as W3C prescribes).
    /// </summary>
    internal static object Traced(object mesEvent, Guid eventId, out string traceParent)
    {
        var input = mesEvent switch
        {
            ProductionConfirmation e => e.Trace,
            ScrapReport e => e.Trace,
            MaterialConsumption e => e.Trace,
            QualityHold e => e.Trace,
            _ => null,
        };
        var trace = Contracts.Common.TraceParent.TryParse(input?.Traceparent, out var parent)
            ? new TraceContext { Traceparent = parent.Child("edge").Value, Tracestate = input!.Tracestate }
            : new TraceContext { Traceparent = Contracts.Common.TraceParent.ForEvent(eventId).Value };
        traceParent = trace.Traceparent!;
        return mesEvent switch
        {
            ProductionConfirmation e => e with { Trace = trace },
            ScrapReport e => e with { Trace = trace },
            MaterialConsumption e => e with { Trace = trace },
            QualityHold e => e with { Trace = trace },
            _ => mesEvent,
        };
    }
}
