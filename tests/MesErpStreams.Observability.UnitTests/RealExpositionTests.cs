namespace MesErpStreams.Observability.UnitTests;

public sealed class RealExpositionTests
{
    [Fact]
    public async Task Exposition_of_every_real_instrument_passes_promtool_check_metrics()
    {
        await using var endpoint = await MetricsEndpoint.StartAsync(new MetricsEndpointOptions { Port = 0 });
        await using var real = await RealInstruments.StartAsync();
        var text = await ScrapeAsync(endpoint);

        var (exit, output) = await Promtool.RunAsync(text, "check", "metrics");

        output.Should().BeEmpty("promtool found problems in:\n" + text);
        exit.Should().Be(0);
    }

    [Theory]
    [InlineData("# TYPE meserpstreams_pipeline_meserp_pipeline_events gauge")]
    [InlineData("meserpstreams_pipeline_meserp_pipeline_events{outcome=\"command\",plant=\"P100\",type=\"ScrapReport\"}")]
    [InlineData("# TYPE meserpstreams_pipeline_meserp_pipeline_pending_events gauge")]
    [InlineData("# TYPE meserpstreams_pipeline_meserp_pipeline_pending_oldest_age gauge")]
    [InlineData("meserpstreams_pipeline_meserp_pipeline_pending_oldest_age{task=\"0-1\"}")]
    [InlineData("# TYPE meserpstreams_pipeline_meserp_pipeline_pending_wait histogram")]
    [InlineData("# TYPE meserpstreams_streams_meserp_streams_records_consumed gauge")]
    [InlineData("# TYPE meserpstreams_streams_meserp_streams_process_duration histogram")]
    [InlineData("meserpstreams_consumer_meserp_consumer_lag_records{group=\"meserp-processor\",partition=\"1\",topic=\"mes.events.scrap-reports\"}")]
    [InlineData("meserpstreams_consumer_meserp_consumer_lag{group=\"meserp-processor\",partition=\"1\",topic=\"mes.events.scrap-reports\"}")]
    [InlineData("# TYPE meserpstreams_sink_meserp_sink_postings gauge")]
    [InlineData("# TYPE meserpstreams_sink_meserp_sink_erp_call_duration histogram")]
    [InlineData("# TYPE meserpstreams_sink_meserp_sink_end_to_end_latency histogram")]
    [InlineData("meserpstreams_sink_meserp_sink_retries{held=\"true\",tier=\"1\"}")]
    [InlineData("meserpstreams_sink_meserp_sink_circuit_state 0")]
    [InlineData("meserpstreams_sink_meserp_sink_erp_unavailable_since 0")]
    [InlineData("# TYPE meserpstreams_edge_meserp_edge_outbox_age gauge")]
    [InlineData("# TYPE meserpstreams_edge_meserp_edge_forward_delay histogram")]
    [InlineData("# TYPE meserpstreams_edge_meserp_edge_events_accepted gauge")]
    [InlineData("meserpstreams_consumer_meserp_consumer_lag_records{group=\"meserp-sink\",partition=\"0\",topic=\"erp.posting-commands\"}")]
    public async Task Real_instruments_get_prometheus_names(string expected)
    {
        await using var endpoint = await MetricsEndpoint.StartAsync(new MetricsEndpointOptions { Port = 0 });
        await using var real = await RealInstruments.StartAsync();
        var text = await ScrapeAsync(endpoint);
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

    private static async Task<string> ScrapeAsync(MetricsEndpointHandle endpoint)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(endpoint.MetricsUrl);
    }
}
