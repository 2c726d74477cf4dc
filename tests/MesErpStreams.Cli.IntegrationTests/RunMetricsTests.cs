using System.Diagnostics.Metrics;
using MesErpStreams.Cli.Run;

namespace MesErpStreams.Cli.IntegrationTests;

[Collection(InProcessMetersCollection.Name)]
public sealed class RunMetricsTests
{
    [Fact]
    public void Each_latency_histogram_gets_its_own_percentiles()
    {
        using var metrics = new RunMetrics(seed: 1);
        using var meter = new Meter("MesErpStreams.Sink");
        var e2e = meter.CreateHistogram<double>(RunMetrics.EndToEndLatency, "s");
        var commandToAck = meter.CreateHistogram<double>(RunMetrics.CommandToAckLatency, "s");
        var occurredToAck = meter.CreateHistogram<double>(RunMetrics.OccurredToAckLatency, "s");
        for (var ms = 1; ms <= 100; ms++)
        {
            e2e.Record(ms / 1000d);
            commandToAck.Record((ms + 1000) / 1000d);
            occurredToAck.Record(ms * 10 / 1000d, new KeyValuePair<string, object?>("outcome", "posted"));
        }

        metrics.EndToEnd.PercentileMs(50).Should().Be(50);
        metrics.EndToEnd.PercentileMs(99).Should().Be(99);
        metrics.CommandToAck.PercentileMs(50).Should().Be(1050);
        metrics.CommandToAck.PercentileMs(99).Should().Be(1099);
        metrics.OccurredToAck.PercentileMs(50).Should().Be(500);
        metrics.OccurredToAck.PercentileMs(99).Should().Be(990);
    }

    [Fact]
    public void Histograms_of_other_names_or_meters_are_not_sampled()
    {
        using var metrics = new RunMetrics();
        using var sink = new Meter("MesErpStreams.Sink");
        using var other = new Meter("Somebody.Else");
        sink.CreateHistogram<double>("meserp.sink.erp.call.duration", "s").Record(5);
        other.CreateHistogram<double>(RunMetrics.EndToEndLatency, "s").Record(5);

        metrics.EndToEnd.Count.Should().Be(0);
        metrics.EndToEnd.PercentileMs(99).Should().BeNull();
        metrics.CommandToAck.PercentileMs(50).Should().BeNull();
    }

    [Fact]
    public void Counters_are_summed_by_instrument_and_by_outcome()
    {
        using var metrics = new RunMetrics();
        using var meter = new Meter("MesErpStreams.Sink");
        var postings = meter.CreateCounter<long>("meserp.sink.postings");
        postings.Add(3, new KeyValuePair<string, object?>("outcome", "posted"));
        postings.Add(2, new KeyValuePair<string, object?>("outcome", "posted"));
        postings.Add(1, new KeyValuePair<string, object?>("outcome", "duplicate"));

        metrics.Get("meserp.sink.postings").Should().Be(6);
        metrics.Get("meserp.sink.postings", "posted").Should().Be(5);
        metrics.Get("meserp.sink.postings", "duplicate").Should().Be(1);
        metrics.Get("meserp.sink.postings", "rejected").Should().Be(0);
    }
}
