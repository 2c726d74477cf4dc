using System.Diagnostics.Metrics;
using MesErpStreams.Edge.Simulation;

namespace MesErpStreams.Edge.Internal;

/// <summary>
/// What <c>meserp edge simulate</c> has published, as observable counters on the meter
/// <c>MesErpStreams.Edge.Simulator</c>: <c>meserpstreams_edge_simulator_meserp_edge_simulator_events{kind}</c> (kind = all, duplicate,
/// invalid) and <c>meserpstreams_edge_simulator_meserp_edge_simulator_master_data</c>. Read from the simulator's live
/// <see cref="MesSimulator.Stats"/> at scrape time; nothing is recorded per event.
/// </summary>
internal sealed class SimulatorMetrics : IDisposable
{
    private readonly Meter _meter = new("MesErpStreams.Edge.Simulator");

    public SimulatorMetrics(MesSimulator simulator)
    {
        _meter.CreateObservableCounter("meserp.edge.simulator.events", () =>
        {
            var s = simulator.Stats;
            return new[]
            {
                new Measurement<long>(s.EventsPublished, new KeyValuePair<string, object?>("kind", "all")),
                new Measurement<long>(s.DuplicatesSent, new KeyValuePair<string, object?>("kind", "duplicate")),
                new Measurement<long>(s.InvalidSent, new KeyValuePair<string, object?>("kind", "invalid")),
            };
        }, "{event}", "MES events the simulator published (all, of which duplicates and invalid)");
        _meter.CreateObservableCounter("meserp.edge.simulator.master_data", () => simulator.Stats.MasterDataPublished, "{record}",
            "Master-data records the simulator published");
    }

    public void Dispose() => _meter.Dispose();
}
