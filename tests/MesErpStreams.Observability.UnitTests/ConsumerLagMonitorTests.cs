
namespace MesErpStreams.Observability.UnitTests;

public sealed class ConsumerLagMonitorTests
{
    [Fact]
    public void Lag_is_reported_in_records_and_seconds_per_group_topic_and_partition()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var exporter = new PrometheusExporter();
        var group = "sink-" + Guid.NewGuid().ToString("N")[..8];
        using var lag = new ConsumerLagMonitor(group, clock);

        lag.SetEndOffset("erp.posting-commands", 0, 100);
        lag.Consumed("erp.posting-commands", 0, 39, clock.GetUtcNow().AddSeconds(-30));
        lag.SetEndOffset("erp.posting-commands", 1, 10);
        lag.Consumed("erp.posting-commands", 1, 9, clock.GetUtcNow().AddSeconds(-90));

        var text = exporter.Scrape();
        text.Should().Contain($"meserp_consumer_lag_records{{group=\"{group}\",partition=\"0\",topic=\"erp.posting-commands\"}} 60");
        text.Should().Contain($"meserp_consumer_lag_seconds{{group=\"{group}\",partition=\"0\",topic=\"erp.posting-commands\"}} 30");
        text.Should().Contain($"meserp_consumer_lag_records{{group=\"{group}\",partition=\"1\",topic=\"erp.posting-commands\"}} 0");
        text.Should().Contain($"meserp_consumer_lag_seconds{{group=\"{group}\",partition=\"1\",topic=\"erp.posting-commands\"}} 0", "a caught-up partition has no time lag");

        lag.Remove("erp.posting-commands", 1);
        // Only this group's series: other tests in the assembly record into the same process-wide meters.
        exporter.Scrape().Should().NotContain($"group=\"{group}\",partition=\"1\"");
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
