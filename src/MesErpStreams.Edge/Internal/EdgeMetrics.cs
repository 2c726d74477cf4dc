using System.Diagnostics.Metrics;

namespace MesErpStreams.Edge.Internal;

/// <summary>Instruments of the edge (Meter <c>MesErpStreams.Edge</c>).</summary>
internal sealed class EdgeMetrics : IDisposable
{
    public const string MeterName = "MesErpStreams.Edge";
    private readonly Meter _meter = new(MeterName);

    public EdgeMetrics(SqliteOutboxStore store)
    {
        Accepted = _meter.CreateCounter<long>("meserp.edge.events.accepted", "{event}", "Events written to the outbox (durably).");
        Rejected = _meter.CreateCounter<long>("meserp.edge.events.rejected", "{event}", "Input lines rejected by validation or because the outbox was full.");
        Forwarded = _meter.CreateCounter<long>("meserp.edge.events.forwarded", "{event}", "Events committed to Kafka and removed from the outbox.");
        ForwardFailures = _meter.CreateCounter<long>("meserp.edge.forward.failures", "{attempt}", "Forwarding attempts that failed (Kafka or registry unreachable).");
        ForwardDelay = _meter.CreateHistogram<double>("meserp.edge.forward.delay", "s", "Time from acceptance to Kafka commit.");
        _meter.CreateObservableGauge("meserp.edge.outbox.depth", () => store.Count, "{event}", "Events waiting in the outbox.");
        _meter.CreateObservableGauge("meserp.edge.outbox.bytes", () => store.Bytes, "By", "Bytes of event bodies waiting in the outbox.");
        _meter.CreateObservableGauge("meserp.edge.outbox.age", () => store.OldestAcceptedAt is { } t ? (DateTimeOffset.UtcNow - t).TotalSeconds : 0d, "s",
            "Age of the oldest event waiting in the outbox.");
    }

    public Counter<long> Accepted { get; }

    public Counter<long> Rejected { get; }

    public Counter<long> Forwarded { get; }

    public Counter<long> ForwardFailures { get; }

    public Histogram<double> ForwardDelay { get; }

    public void Dispose() => _meter.Dispose();
}
