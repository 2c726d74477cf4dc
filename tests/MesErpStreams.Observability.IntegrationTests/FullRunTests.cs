using System.CommandLine;
using System.Text.RegularExpressions;
using MesErpStreams.Cli.Commands;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Observability.IntegrationTests;

/// <summary>
/// `meserp run` (edge simulator → processor → sink → ERP simulator on the embedded cluster), invoked in-process with
/// the metrics endpoint, scraped by a real Prometheus: every metric the dashboards and alerts name exists in a real
/// run, except the ones only faults produce.
/// </summary>
public sealed partial class FullRunTests
{
    /// <summary>Series that a fault-free run never creates (counters get their first series on their first fault).</summary>
    private static readonly HashSet<string> FaultOnly = new(StringComparer.Ordinal)
    {
        "meserpstreams_streams_meserp_streams_transactions_aborted", "meserpstreams_streams_meserp_streams_records_dead_lettered",
        "meserpstreams_streams_meserp_streams_restore_records", "meserpstreams_streams_meserp_streams_restore_remaining",
        "meserpstreams_sink_meserp_sink_dead_letters", "meserpstreams_sink_meserp_sink_retries",
        "meserpstreams_edge_meserp_edge_forward_failures", "meserpstreams_edge_meserp_edge_events_rejected",

        // Recorded by the reconciliation at the end of the run (and by `meserp reconcile`), not while it runs.
        "meserpstreams_reconciliation_meserp_reconciliation_completeness", "meserpstreams_reconciliation_meserp_reconciliation_gaps",

        // `meserp run` publishes the simulator's events without the edge outbox; these come from `meserp edge`
        // (covered by the RealInstruments workload in PrometheusVerificationTests).
        "meserpstreams_edge_meserp_edge_outbox_depth", "meserpstreams_edge_meserp_edge_outbox_age", "meserpstreams_edge_meserp_edge_outbox_bytes", "meserpstreams_edge_meserp_edge_events_accepted",
        "meserpstreams_edge_meserp_edge_events_forwarded", "meserpstreams_edge_meserp_edge_forward_delay_bucket",
    };

    [Fact]
    public async Task A_real_meserp_run_exposes_every_metric_the_dashboards_and_alerts_name()
    {
        await using var endpoint = await MetricsEndpoint.StartAsync(new MetricsEndpointOptions { Port = 0 });
        await using var prometheus = await PrometheusServer.StartAsync("meserp-run", endpoint.Url, [MonitoringAssets.AlertsFile]);
        using var http = new HttpClient { BaseAddress = prometheus.Url };
        var verifier = new MonitoringVerifier(http);
        var parse = RunCommand.Create().Parse(["--duration", "30s", "--rate", "40"]);
        parse.Errors.Should().BeEmpty();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var run = Task.Run(() => parse.InvokeAsync(cancellationToken: stop.Token));

        var used = MonitoringAssets.DashboardFiles.SelectMany(MonitoringAssets.DashboardQueries).Select(q => q.Expr)
            .Concat(MonitoringAssets.AlertExpressions(MonitoringAssets.AlertsFile).Select(a => a.Expr))
            .SelectMany(e => MetricName().Matches(e).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal).Where(n => !FaultOnly.Contains(n)).ToList();
        var missing = used;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                var scraped = await verifier.MetricNamesAsync();
                missing = used.Where(n => !scraped.Contains(n)).ToList();
                return missing.Count == 0 || run.IsCompleted;
            }, TimeSpan.FromSeconds(90), "every non-fault metric scraped from meserp run", TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + ": missing " + string.Join(", ", missing), e);
        }

        missing.Should().BeEmpty("a real run exposes these (run ended early: {0})", run.IsCompleted);
        var exit = await run;
        exit.Should().Be(0);
    }

    [GeneratedRegex(@"\bmeserpstreams_[a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();
}
