using MesErpStreams.Observability.Internal;

namespace MesErpStreams.Observability.UnitTests;

public sealed class NamingTests
{
    [Theory]
    [InlineData("meserp.pipeline.events", "{event}", "counter", "meserp_pipeline_events_total")]
    [InlineData("meserp.sink.postings", null, "counter", "meserp_sink_postings_total")]
    [InlineData("meserp.streams.process.duration", "s", "histogram", "meserp_streams_process_duration_seconds")]
    [InlineData("meserp.pipeline.pending_oldest_age", "s", "gauge", "meserp_pipeline_pending_oldest_age_seconds")]
    [InlineData("meserp.edge.outbox.size", "By", "gauge", "meserp_edge_outbox_size_bytes")]
    [InlineData("meserp.consumer.lag.records", "{record}", "gauge", "meserp_consumer_lag_records")]
    [InlineData("meserp.http.duration_seconds", "s", "histogram", "meserp_http_duration_seconds")]
    [InlineData("meserp.requests.total", "{request}", "counter", "meserp_requests_total")]
    [InlineData("meserp.cpu.time", "s", "counter", "meserp_cpu_time_seconds_total")]
    [InlineData("meserp.cache.hit", "1", "gauge", "meserp_cache_hit_ratio")]
    [InlineData("meserp.net.rate", "By/s", "gauge", "meserp_net_rate_bytes_per_second")]
    [InlineData("9lives-cat..count", null, "gauge", "_9lives_cat_count")]
    public void Instrument_names_follow_prometheus_conventions(string name, string? unit, string kind, string expected) =>
        PrometheusNaming.MetricName(name, unit, Enum.Parse<MetricKind>(kind, ignoreCase: true)).Should().Be(expected);

    [Theory]
    [InlineData("command_type", "command_type")]
    [InlineData("http.route", "http_route")]
    [InlineData("1st", "_1st")]
    [InlineData("__reserved", "_reserved")]
    public void Tag_keys_become_valid_label_names(string key, string expected) =>
        PrometheusNaming.LabelName(key).Should().Be(expected);
}
