using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>
/// The simulator's instruments (meter <c>MesErpStreams.ErpSimulator</c>):
/// <c>meserpstreams_erpsimulator_meserp_erp_sim_requests{endpoint,status}</c> and <c>meserpstreams_erpsimulator_meserp_erp_sim_request_duration{endpoint}</c>
/// for the posting endpoints, so a test or a drill can see what the ERP side received (faults included). A posting in
/// a batch counts as a request of its own endpoint with its own status; the batch request itself adds one duration
/// (<c>endpoint="batch"</c>) and one <c>meserpstreams_erpsimulator_meserp_erp_sim_batch_size{status}</c> measurement.
/// </summary>
internal static class ErpSimulatorMetrics
{
    /// <summary>The <c>endpoint</c> tag of batch requests (durations) and of batch items with an unknown <c>url</c>.</summary>
    public const string BatchEndpoint = "batch";

    private static readonly Meter Meter = new("MesErpStreams.ErpSimulator");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("meserp.erp_sim.requests", "{request}", "Posting requests by endpoint and HTTP status (a batch counts each posting)");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("meserp.erp_sim.request.duration", "s", "Posting request handling time (injected latency included)");
    private static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>("meserp.erp_sim.batch.size", "{posting}", "Postings per batch request by the batch's HTTP status");

    public static void Record(string endpoint, int status, long startTimestamp)
    {
        RecordPosting(endpoint, status);
        Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint));
    }

    /// <summary>Counts one posting (a single request, or one item of a batch).</summary>
    public static void RecordPosting(string endpoint, int status)
    {
        var tags = new TagList { { "endpoint", endpoint }, { "status", status.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        Requests.Add(1, tags);
    }

    /// <summary>Records one batch request: its size and handling time (the postings are counted by <see cref="RecordPosting"/>).</summary>
    public static void RecordBatch(int size, int status, long startTimestamp)
    {
        BatchSize.Record(size, new KeyValuePair<string, object?>("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("endpoint", BatchEndpoint));
    }
}
