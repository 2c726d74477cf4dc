using MesErpStreams.TestUtils;

namespace MesErpStreams.Observability.UnitTests;

public sealed class ConsumerLagMonitorTests
{
    private const string Records = "meserpstreams_consumer_meserp_consumer_lag_records";
    private const string Seconds = "meserpstreams_consumer_meserp_consumer_lag";

    [Fact]
    public async Task Lag_is_reported_in_records_and_seconds_per_group_topic_and_partition_and_a_removed_partition_goes_away()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = new MetricsEndpointOptions { Port = 0 };
        options.Prometheus.ObservedSeriesExpireAfter = TimeSpan.FromSeconds(1);
        await using var endpoint = await MetricsEndpoint.StartAsync(options);
        using var http = new HttpClient();
        var group = "sink-" + Guid.NewGuid().ToString("N")[..8];
        using var lag = new ConsumerLagMonitor(group, clock);

        lag.SetEndOffset("erp.posting-commands", 0, 100);
        lag.Consumed("erp.posting-commands", 0, 39, clock.GetUtcNow().AddSeconds(-30));
        lag.SetEndOffset("erp.posting-commands", 1, 10);
        lag.Consumed("erp.posting-commands", 1, 9, clock.GetUtcNow().AddSeconds(-90));

        var text = await http.GetStringAsync(endpoint.MetricsUrl);
        text.Should().Contain($"{Records}{{group=\"{group}\",partition=\"0\",topic=\"erp.posting-commands\"}} 60\n");
        text.Should().Contain($"{Seconds}{{group=\"{group}\",partition=\"0\",topic=\"erp.posting-commands\"}} 30\n");
        text.Should().Contain($"{Records}{{group=\"{group}\",partition=\"1\",topic=\"erp.posting-commands\"}} 0\n");
        text.Should().Contain($"{Seconds}{{group=\"{group}\",partition=\"1\",topic=\"erp.posting-commands\"}} 0\n", "a caught-up partition has no time lag");

        lag.Remove("erp.posting-commands", 1);
        // Only this group's series: other tests in the assembly record into the same process-wide meters.
        await Eventually.TrueAsync(async () => !(await http.GetStringAsync(endpoint.MetricsUrl)).Contains($"group=\"{group}\",partition=\"1\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "the removed partition's series to expire");
        (await http.GetStringAsync(endpoint.MetricsUrl)).Should().Contain($"group=\"{group}\",partition=\"0\"", "the partition still owned stays");
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
