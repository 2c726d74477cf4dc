using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Edge.Internal;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Edge.UnitTests;

public sealed class EdgeTraceTests
{
    private const string Input = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static ProductionConfirmation Event(TraceContext? trace) => new()
    {
        EventId = Guid.NewGuid(), Plant = "1000", SourceSystem = "mes", OccurredAt = DateTimeOffset.UnixEpoch, Sequence = 1,
        WorkOrder = "4711", Operation = "0010", WorkCenter = "WC-1", FinalConfirmation = false, YieldQuantity = new Quantity { Value = 1m, Unit = "PC" }, Trace = trace,
    };

    private static TraceContext? BodyTrace(EdgeEvent e) => ((ProductionConfirmation)EventCodecs.Decode(EventKind.ProductionConfirmation, e.Body.Span)).Trace;

    [Fact]
    public void Untraced_event_starts_the_trace_of_its_event_id()
    {
        var input = Event(null);
        var e = EdgeEvent.From(input);

        e.TraceParent.Should().Be(TraceParent.ForEvent(input.EventId).Value);
        BodyTrace(e)!.Traceparent.Should().Be(e.TraceParent, "the body's trace field and the header carry the same context");
    }

    [Fact]
    public void Traced_event_gets_the_edges_child_span_and_keeps_tracestate()
    {
        var e = EdgeEvent.From(Event(new TraceContext { Traceparent = Input, Tracestate = "mes=7" }));

        e.TraceParent.Should().Be(TraceParent.Parse(Input).Child("edge").Value);
        TraceParent.SameTrace(e.TraceParent, Input).Should().BeTrue();
        BodyTrace(e).Should().Be(new TraceContext { Traceparent = e.TraceParent, Tracestate = "mes=7" });
    }

    [Fact]
    public void Malformed_input_traceparent_restarts_the_trace_and_drops_tracestate()
    {
        var input = Event(new TraceContext { Traceparent = "00-xyz", Tracestate = "mes=7" });
        var e = EdgeEvent.From(input);

        e.TraceParent.Should().Be(TraceParent.ForEvent(input.EventId).Value);
        BodyTrace(e)!.Tracestate.Should().BeNull();
    }

    [Fact]
    public void Json_line_with_trace_is_published_as_its_child()
    {
        var line = MesEventJson.Format(Event(new TraceContext { Traceparent = Input }));
        MesEventJson.TryParse(line, out var e, out var error).Should().BeTrue(error);
        TraceParent.SameTrace(e!.TraceParent, Input).Should().BeTrue();
    }

    [Fact]
    public void Simulated_events_are_traced_deterministically()
    {
        var options = new MesSimulatorOptions { Seed = 3, MaxEvents = 50, StartTime = DateTimeOffset.UnixEpoch, DuplicateRate = 0.2 };
        var traces = new MesSimulator(options).Generate().Where(r => r.Kind != SimulatedRecordKind.MasterData).Select(r => r.Value switch
        {
            ProductionConfirmation x => (x.EventId, x.Trace?.Traceparent),
            ScrapReport x => (x.EventId, x.Trace?.Traceparent),
            MaterialConsumption x => (x.EventId, x.Trace?.Traceparent),
            QualityHold x => (x.EventId, x.Trace?.Traceparent),
            _ => (Guid.Empty, null),
        }).ToList();

        traces.Should().NotBeEmpty();
        foreach (var (id, trace) in traces)
        {
            trace.Should().Be(TraceParent.ForEvent(id).Value);
        }
    }
}
