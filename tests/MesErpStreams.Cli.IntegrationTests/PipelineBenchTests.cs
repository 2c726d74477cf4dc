using MesErpStreams.PipelineBench;

namespace MesErpStreams.Cli.IntegrationTests;

public sealed class PipelineBenchTests
{
    [Theory]
    [InlineData(0.5, 800.0, 4_900.0, true, true)]
    [InlineData(1.2, 800.0, 4_900.0, true, false)] // backlog over 1 s of postings
    [InlineData(0.5, 1_200.0, 4_900.0, true, false)] // p99 over 1 s
    [InlineData(0.5, 800.0, 4_000.0, true, false)] // the simulator could not offer 90 % of the rate
    [InlineData(0.5, 800.0, 4_900.0, false, false)] // a posting lost or doubled
    public void Point_is_sustained_with_a_small_backlog_a_low_p99_the_rate_offered_and_nothing_lost(
        double backlogSeconds, double p99, double offered, bool reconciled, bool sustained)
    {
        var row = new BenchRow
        {
            Point = "p", Setup = "1 process", Phase = "grid", RateTarget = 5_000, ErpLatencyMs = 0, RunOk = true, ReconciliationOk = reconciled,
            BacklogSeconds = backlogSeconds, E2eP99 = p99, EventsOfferedPerSecond = offered,
        };

        row.Judged().Sustained.Should().Be(sustained);
    }

    [Fact]
    public void Point_without_latency_samples_is_not_sustained()
    {
        var row = new BenchRow
        {
            Point = "p", Setup = "1 process", Phase = "grid", RateTarget = 500, ErpLatencyMs = 0, RunOk = true, ReconciliationOk = true,
            EventsOfferedPerSecond = 500, E2eP99 = null,
        };

        row.Judged().Sustained.Should().BeFalse();
    }

    [Theory]
    [InlineData(0, 0, false, true, false)] // reconciled
    [InlineData(500, 0, true, true, true)] // still arriving when the drain was cut off: not drained, not lost
    [InlineData(500, 0, false, false, false)] // missing after a complete or stalled drain: lost
    [InlineData(0, 3, false, false, false)] // doubled
    [InlineData(500, 3, true, false, false)] // doubled, whatever the drain
    public void Point_passes_unless_a_posting_is_lost_or_doubled(long missing, long extra, bool cutOff, bool passes, bool undrained)
    {
        var row = new BenchRow
        {
            Point = "p", Setup = "1 process", Phase = "grid", RateTarget = 5_000, ErpLatencyMs = 50, RunOk = true,
            PostingsMissing = missing, PostingsExtra = extra, ReconciliationOk = missing == 0 && extra == 0, DrainCutOff = cutOff,
        };

        row.Passed.Should().Be(passes);
        row.Undrained.Should().Be(undrained);
        RowTable.Line(row).Should().Contain(passes ? (undrained ? "UNDRAINED" : "OK") : "LOST");
    }

    [Fact]
    public void Event_id_is_read_from_a_one_event_idempotency_key()
    {
        var id = Guid.NewGuid();

        EndToEnd.EventIdOf("OC-" + id.ToString("N")).Should().Be(id);
        EndToEnd.EventIdOf("GM-" + id.ToString("N")).Should().Be(id);
        EndToEnd.EventIdOf("OC-not-a-guid").Should().BeNull();
        EndToEnd.EventIdOf(id.ToString("N")).Should().BeNull();
    }

    [Fact]
    public void Publisher_event_count_is_read_from_its_prometheus_text()
    {
        const string text = """
            # HELP meserpstreams_edge_simulator_meserp_edge_simulator_events MES events the simulator published
            # TYPE meserpstreams_edge_simulator_meserp_edge_simulator_events counter
            meserpstreams_edge_simulator_meserp_edge_simulator_events{kind="duplicate"} 41
            meserpstreams_edge_simulator_meserp_edge_simulator_events{kind="all"} 2048
            """;

        OfferSampler.ParseEvents(text).Should().Be(2048);
        OfferSampler.ParseEvents("# nothing yet\n").Should().BeNull();
    }

    [Fact]
    public void Offer_window_opens_before_the_first_event_and_closes_at_the_sample_with_every_event()
    {
        static OfferSampler.Sample S(double at, long? events, long ledger) => new(TimeSpan.FromSeconds(at), events, ledger, TimeSpan.FromSeconds(at * 2));
        OfferSampler.Sample[] samples =
        [
            S(0.0, null, 0), S(0.2, null, 0), S(0.4, 0, 0), S(0.6, 150, 0), S(0.8, 600, 10),
            S(10.4, 19_000, 15_000), S(10.6, 20_000, 16_000), S(10.8, 20_000, 16_500), S(11.0, null, 17_000),
        ];

        var (first, last) = OfferSampler.Window(samples, eventsPublished: 20_000)!.Value;

        first.At.Should().Be(TimeSpan.FromSeconds(0.4));
        last.At.Should().Be(TimeSpan.FromSeconds(10.6));
        last.Ledger.Should().Be(16_000);
    }

    [Fact]
    public void Offer_window_of_a_publisher_that_exited_between_samples_closes_when_its_endpoint_went_away()
    {
        static OfferSampler.Sample S(double at, long? events) => new(TimeSpan.FromSeconds(at), events, 0, TimeSpan.Zero);

        var (first, last) = OfferSampler.Window([S(0, 0), S(0.2, 100), S(5, 900), S(5.2, null)], eventsPublished: 1_000)!.Value;

        first.At.Should().Be(TimeSpan.Zero);
        last.At.Should().Be(TimeSpan.FromSeconds(5.2));
        OfferSampler.Window([S(0, null), S(0.2, 0)], 10).Should().BeNull();
    }
}
