namespace MesErpStreams.Observability.UnitTests;

public sealed class RealExpositionTests
{
    [Fact]
    public async Task Exposition_of_every_real_instrument_passes_promtool_check_metrics()
    {
        using var exporter = new PrometheusExporter();
        await using var real = await RealInstruments.StartAsync();
        var text = exporter.Scrape();

        var (exit, output) = await Promtool.RunAsync(text, "check", "metrics");

        output.Should().BeEmpty("promtool found problems in:\n" + text);
        exit.Should().Be(0);
    }

    [Theory]
    [InlineData("# TYPE meserp_pipeline_events_total counter")]
    [InlineData("meserp_pipeline_events_total{outcome=\"command\",plant=\"P100\",type=\"ScrapReport\"}")]
    [InlineData("# TYPE meserp_pipeline_pending_events gauge")]
    [InlineData("# TYPE meserp_pipeline_pending_oldest_age_seconds gauge")]
    [InlineData("# TYPE meserp_pipeline_pending_wait_seconds histogram")]
    [InlineData("# TYPE meserp_streams_records_consumed_total counter")]
    [InlineData("# TYPE meserp_streams_process_duration_seconds histogram")]
    [InlineData("meserp_consumer_lag_records{group=\"meserp-processor\",partition=\"1\",topic=\"mes.events.scrap-reports\"}")]
    [InlineData("meserp_consumer_lag_seconds{group=\"meserp-processor\",partition=\"1\",topic=\"mes.events.scrap-reports\"}")]
    [InlineData("# TYPE meserp_sink_postings_total counter")]
    [InlineData("# TYPE meserp_sink_erp_call_duration_seconds histogram")]
    [InlineData("# TYPE meserp_sink_end_to_end_latency_seconds histogram")]
    [InlineData("meserp_sink_retries_total{held=\"true\",tier=\"1\"}")]
    [InlineData("meserp_sink_circuit_state 0")]
    [InlineData("# TYPE meserp_edge_outbox_age_seconds gauge")]
    [InlineData("# TYPE meserp_edge_forward_delay_seconds histogram")]
    [InlineData("# TYPE meserp_edge_events_accepted_total counter")]
    [InlineData("meserp_consumer_lag_records{group=\"meserp-sink\",partition=\"0\",topic=\"erp.posting-commands\"}")]
    public async Task Real_instruments_get_prometheus_names(string expected)
    {
        using var exporter = new PrometheusExporter();
        await using var real = await RealInstruments.StartAsync();
        var text = await ScrapeOverHttpFormatAsync(exporter);
        text.Should().Contain(expected);
    }

    [Fact]
    public async Task Promtool_check_metrics_catches_a_bad_exposition()
    {
        // Guards the guard: a counter without _total must be reported, so the test above can fail.
        var (exit, output) = await Promtool.RunAsync("# HELP bad_counter x\n# TYPE bad_counter counter\nbad_counter 1\n", "check", "metrics");
        (exit != 0 || output.Length > 0).Should().BeTrue();
        output.Should().Contain("bad_counter");
    }

    private static async Task<string> ScrapeOverHttpFormatAsync(PrometheusExporter exporter)
    {
        using var ms = new MemoryStream();
        await exporter.WriteAsync(ms, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}
