using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>
/// The simulator's instruments (meter <c>MesErpStreams.ErpSimulator</c>):
/// <c>meserpstreams_erpsimulator_meserp_erp_sim_requests{endpoint,status}</c> and <c>meserpstreams_erpsimulator_meserp_erp_sim_request_duration{endpoint}</c>
/// for the posting endpoints, so a test or a drill can see what the ERP side received (faults included).
/// </summary>
internal static class ErpSimulatorMetrics
{
    private static readonly Meter Meter = new("MesErpStreams.ErpSimulator");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("meserp.erp_sim.requests", "{request}", "Posting requests by endpoint and HTTP status");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("meserp.erp_sim.request.duration", "s", "Posting request handling time (injected latency included)");

    public static void Record(string endpoint, int status, long startTimestamp)
    {
        var tags = new TagList { { "endpoint", endpoint }, { "status", status.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        Requests.Add(1, tags);
        Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint));
    }
}
