using System.Diagnostics.Metrics;
using System.Net;

namespace MesErpStreams.ErpSimulator.IntegrationTests;

public sealed class MetricsTests
{
    private const string Confirmations = "api/erp/v1/production-order-confirmations";

    [Fact]
    public async Task Posting_requests_are_counted_by_endpoint_and_status()
    {
        var counted = new List<(string Endpoint, string Status, long Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "MesErpStreams.ErpSimulator" && instrument.Name == "meserp.erp_sim.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? endpoint = null, status = null;
            foreach (var t in tags)
            {
                endpoint = t.Key == "endpoint" ? t.Value as string : endpoint;
                status = t.Key == "status" ? t.Value as string : status;
            }

            lock (counted)
            {
                counted.Add((endpoint!, status!, value));
            }
        });
        listener.Start();

        await using var sim = await Simulator.StartAsync();
        var key = "metrics-" + Guid.NewGuid().ToString("N");
        (await sim.PostAsync(Confirmations, Simulator.Confirmation("1000091", 5m), key)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await sim.PostAsync(Confirmations, Simulator.Confirmation("1000091", 5m), key)).StatusCode.Should().Be(HttpStatusCode.OK);

        lock (counted)
        {
            // Other tests may run simulators in this process too: look only for this test's two requests.
            counted.Should().Contain(("production-order-confirmations", "201", 1)).And.Contain(("production-order-confirmations", "200", 1));
        }
    }
}
