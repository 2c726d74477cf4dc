using System.Diagnostics.Metrics;
using System.Globalization;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Observability.UnitTests;

/// <summary>
/// What prometheus-net's meter adapter makes of System.Diagnostics.Metrics instruments behind our endpoint, read from a
/// real HTTP scrape: names, labels, types, buckets, series lifetime.
/// </summary>
public sealed class PrometheusNetExportTests
{
    [Fact]
    public async Task A_counter_is_a_gauge_named_after_meter_and_instrument_summed_per_tag_set_regardless_of_tag_order()
    {
        await using var s = await ScrapeClient.StartAsync();
        var c = s.Meter.CreateCounter<long>("meserp.test.events", "{event}", "Events seen");
        c.Add(2, new("type", "scrap"), new("outcome", "command"));
        c.Add(3, new("outcome", "command"), new("type", "scrap"));
        c.Add(1, new("type", "hold"), new("outcome", "command"));
        var name = s.Name("meserp.test.events");

        var text = await s.ScrapeAsync();

        name.Should().StartWith("meserpstreams_test_").And.EndWith("_meserp_test_events");
        text.Should().Contain($"# TYPE {name} gauge\n").And.Contain($"# HELP {name} ({{event}}) Events seen (Counter`1)\n");
        (await s.SamplesAsync(name)).Should().BeEquivalentTo(
            $"{name}{{outcome=\"command\",type=\"hold\"}} 1",
            $"{name}{{outcome=\"command\",type=\"scrap\"}} 5");
    }

    [Fact]
    public async Task A_seconds_histogram_gets_buckets_from_half_a_millisecond_to_an_hour_with_cumulative_counts()
    {
        await using var s = await ScrapeClient.StartAsync();
        var h = s.Meter.CreateHistogram<double>("meserp.test.latency", "s", "Latency");
        foreach (var v in new[] { 0.0003, 0.2, 45.0, 4000.0 })
        {
            h.Record(v, new KeyValuePair<string, object?>("outcome", "ok"));
        }

        var name = s.Name("meserp.test.latency");
        var samples = await s.SamplesAsync(name);

        var buckets = samples.Where(l => l.StartsWith(name + "_bucket", StringComparison.Ordinal)).ToList();
        buckets.Should().HaveCount(PrometheusExportOptions.DefaultSecondsBuckets.Count + 1, "every bound plus +Inf");
        Bucket(buckets, "0.0005").Should().Be(1);
        Bucket(buckets, "0.25").Should().Be(2);
        Bucket(buckets, "60").Should().Be(3);
        Bucket(buckets, "3600").Should().Be(3);
        Bucket(buckets, "+Inf").Should().Be(4);
        samples.Should().Contain($"{name}_count{{outcome=\"ok\"}} 4");
        double.Parse(samples.Single(l => l.StartsWith(name + "_sum", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture)
            .Should().BeApproximately(4045.2003, 1e-6);
        (await s.ScrapeAsync()).Should().Contain($"# TYPE {name} histogram\n");
    }

    [Fact]
    public async Task Configured_buckets_win_over_advice_and_advice_over_the_unit_default()
    {
        await using var s = await ScrapeClient.StartAsync(o => o.HistogramBuckets["meserp.test.configured"] = [0.1, 1]);
        s.Meter.CreateHistogram<double>("meserp.test.configured", "s").Record(0.5);
        s.Meter.CreateHistogram("meserp.test.size", "By", null, null, new InstrumentAdvice<long> { HistogramBucketBoundaries = [10, 100] }).Record(50);

        var configured = await s.SamplesAsync(s.Name("meserp.test.configured") + "_bucket");
        configured.Should().HaveCount(3);
        Bucket(configured, "0.1").Should().Be(0);
        Bucket(configured, "1").Should().Be(1);
        var size = await s.SamplesAsync(s.Name("meserp.test.size") + "_bucket");
        size.Should().HaveCount(3);
        Bucket(size, "10").Should().Be(0);
        Bucket(size, "100").Should().Be(1);
    }

    [Fact]
    public async Task Up_down_counters_add_deltas_and_observable_gauges_report_the_callback_value()
    {
        await using var s = await ScrapeClient.StartAsync();
        var pending = s.Meter.CreateUpDownCounter<long>("meserp.test.pending", "{event}");
        pending.Add(5);
        pending.Add(-2);
        var temperature = 20.5;
        s.Meter.CreateObservableGauge("meserp.test.temperature", () => temperature, "Cel");

        (await s.SamplesAsync(s.Name("meserp.test.pending"))).Should().Equal($"{s.Name("meserp.test.pending")} 3");
        (await s.SamplesAsync(s.Name("meserp.test.temperature"))).Should().Equal($"{s.Name("meserp.test.temperature")} 20.5");
        temperature = 21.25;
        (await s.SamplesAsync(s.Name("meserp.test.temperature"))).Should().ContainSingle("read at each scrape")
            .Which.Should().Be($"{s.Name("meserp.test.temperature")} 21.25");
    }

    [Fact]
    public async Task An_observable_series_its_callback_stops_reporting_expires_and_one_that_comes_back_is_reported_again()
    {
        await using var s = await ScrapeClient.StartAsync(o => o.ObservedSeriesExpireAfter = TimeSpan.FromSeconds(1));
        var partitions = new List<int> { 0, 1 };
        s.Meter.CreateObservableGauge("meserp.test.lag", () => partitions.Select(p => new Measurement<long>(p * 10, new KeyValuePair<string, object?>("partition", p))));
        var name = s.Name("meserp.test.lag");

        (await s.SamplesAsync(name)).Should().BeEquivalentTo($"{name}{{partition=\"0\"}} 0", $"{name}{{partition=\"1\"}} 10");
        partitions.Remove(1);
        await Eventually.TrueAsync(async () => (await s.SamplesAsync(name)).Count == 1, TimeSpan.FromSeconds(15), "the unreported series to expire");
        (await s.SamplesAsync(name)).Should().Equal($"{name}{{partition=\"0\"}} 0");
        partitions.Add(1);
        (await s.SamplesAsync(name)).Should().Contain($"{name}{{partition=\"1\"}} 10");
    }

    [Fact]
    public async Task Only_the_selected_meters_are_exported()
    {
        await using var s = await ScrapeClient.StartAsync();
        using var other = new Meter("Other.Library." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<long>("other.count").Add(1);
        s.Meter.CreateCounter<long>("meserp.test.mine").Add(1);

        var text = await s.ScrapeAsync();

        text.Should().Contain(s.Name("meserp.test.mine") + " 1").And.NotContain("other_count");
    }

    [Fact]
    public async Task Recording_into_an_existing_series_with_string_tags_allocates_at_most_a_few_bytes_per_measurement()
    {
        // prometheus-net's adapter looks the series up per measurement (pooled label buffers, a cached metric context,
        // a lease per update). Measured here: well under 8 bytes per measurement once the series exist. Judged by the
        // best of five rounds, because the first rounds also pay for tiered JIT on this thread.
        await using var s = await ScrapeClient.StartAsync();
        var c = s.Meter.CreateCounter<long>("meserp.test.hot");
        var h = s.Meter.CreateHistogram<double>("meserp.test.hot_latency", "s");
        var tag1 = new KeyValuePair<string, object?>("topic", "mes.events.scrap-reports");
        var tag2 = new KeyValuePair<string, object?>("outcome", "posted");
        var best = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                c.Add(1, tag1, tag2);
                h.Record(i / 1000.0, tag1, tag2);
            }

            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        (best / 20_000.0).Should().BeLessThan(8, "bytes per measurement on the hot path (best round: {0} bytes)", best);
        (await s.SamplesAsync(s.Name("meserp.test.hot"))).Should().Equal($"{s.Name("meserp.test.hot")}{{outcome=\"posted\",topic=\"mes.events.scrap-reports\"}} 50000");
    }

    [Fact]
    public void Invalid_export_options_are_rejected_naming_the_setting()
    {
        var options = new PrometheusExportOptions();
        options.MeterPrefixes.Clear();
        options.MeterPrefixes.Add(" ");
        options.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().WithMessage("*meter prefixes*");
        var buckets = new PrometheusExportOptions();
        buckets.HistogramBuckets["x"] = [1, 1];
        buckets.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().WithMessage("*strictly increasing*");
        var expiry = new PrometheusExportOptions { SeriesExpireAfter = TimeSpan.FromDays(2) };
        expiry.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().WithMessage("*SeriesExpireAfter*");
    }

    private static long Bucket(IEnumerable<string> bucketLines, string le) =>
        long.Parse(bucketLines.Single(l => l.Contains($"le=\"{le}\"", StringComparison.Ordinal)).Split(' ')[^1], CultureInfo.InvariantCulture);
}
