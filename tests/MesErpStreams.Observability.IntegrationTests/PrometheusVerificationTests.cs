namespace MesErpStreams.Observability.IntegrationTests;

public sealed class PrometheusVerificationTests(VerificationFixture fx) : IClassFixture<VerificationFixture>
{
    public static TheoryData<string> Dashboards() => new(MonitoringAssets.DashboardFiles.Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Every_dashboard_panel_query_is_valid_and_returns_data(string dashboard)
    {
        var problems = await fx.Verifier.VerifyDashboardAsync(Path.Combine(MonitoringAssets.MonitoringDir, "dashboards", dashboard));
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Every_alert_expression_is_valid_names_existing_metrics_and_evaluates_in_prometheus()
    {
        // Rules evaluate every second; wait until each has been evaluated once.
        await MesErpStreams.TestUtils.Eventually.TrueAsync(
            async () => !(await fx.Http.GetStringAsync("api/v1/rules")).Contains("\"health\":\"unknown\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "every rule evaluated");
        var problems = await fx.Verifier.VerifyAlertsAsync(MonitoringAssets.AlertsFile);
        problems.Should().BeEmpty();
        (await fx.Http.GetStringAsync("api/v1/rules")).Should().Contain("MeserpErpCircuitOpen", "Prometheus loaded the rule file");
    }

    [Fact]
    public async Task A_dashboard_referencing_a_metric_that_does_not_exist_fails_verification()
    {
        var broken = Path.Combine(Path.GetTempPath(), "meserp-broken-" + Guid.NewGuid().ToString("N") + ".json");
        var original = await File.ReadAllTextAsync(Path.Combine(MonitoringAssets.MonitoringDir, "dashboards", "pipeline-overview.json"));
        original.Should().Contain("meserpstreams_pipeline_meserp_pipeline_events");
        await File.WriteAllTextAsync(broken, original.Replace("meserpstreams_pipeline_meserp_pipeline_events", "meserpstreams_pipeline_meserp_pipeline_event", StringComparison.Ordinal));
        try
        {
            var problems = await fx.Verifier.VerifyDashboardAsync(broken);
            problems.Should().Contain(p => p.Contains("metric meserpstreams_pipeline_meserp_pipeline_event does not exist", StringComparison.Ordinal))
                .And.Contain(p => p.Contains("returned no data", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public async Task An_invalid_expression_fails_verification()
    {
        var (error, _) = await fx.Verifier.QueryAsync("sum by (type (rate(meserpstreams_pipeline_meserp_pipeline_events[5m]))");
        error.Should().NotBeNullOrEmpty();
    }
}
