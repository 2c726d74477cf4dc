using MesErpStreams.Cli.Run;

namespace MesErpStreams.Cli.IntegrationTests;

public sealed class OfferFiguresTests
{
    [Fact]
    public void Overloaded_window_reports_its_backlog_in_postings_and_seconds()
    {
        // 60 s at 5,000 events/s imply 250,000 postings (4,166.7/s); the ERP booked 240,000 of them meanwhile.
        var f = OfferFigures.Compute(TimeSpan.FromSeconds(60), eventsPublished: 300_000, expectedPostings: 250_000,
            ledgerAtStart: 1_000, ledgerAtEnd: 241_000, cpu: TimeSpan.FromSeconds(90));

        f.OfferSeconds.Should().Be(60);
        f.EventsOfferedPerSecond.Should().Be(5_000);
        f.PostingsPerSecond.Should().Be(4_000);
        f.BacklogAtEnd.Should().Be(9_000);
        f.BacklogSeconds.Should().Be(2.16);
        f.CpuSecondsPer1000Events.Should().Be(0.3);
    }

    [Fact]
    public void Window_that_kept_up_has_no_backlog()
    {
        var f = OfferFigures.Compute(TimeSpan.FromSeconds(30), 15_000, 14_000, 0, 14_000, TimeSpan.FromSeconds(12));

        f.BacklogAtEnd.Should().Be(0);
        f.BacklogSeconds.Should().Be(0);
        f.PostingsPerSecond.Should().Be(466.7);
        f.EventsOfferedPerSecond.Should().Be(500);
        f.CpuSecondsPer1000Events.Should().Be(0.8);
    }

    [Fact]
    public void Empty_window_reports_zero_rates_instead_of_dividing_by_zero()
    {
        var f = OfferFigures.Compute(TimeSpan.Zero, 0, 0, 0, 0, TimeSpan.Zero);

        f.Should().Be(new OfferFigures(0, 0, 0, 0, 0, 0));
    }

    [Fact]
    public void Ledger_that_shrank_during_the_window_is_rejected()
    {
        var act = () => OfferFigures.Compute(TimeSpan.FromSeconds(10), 100, 90, ledgerAtStart: 50, ledgerAtEnd: 40, TimeSpan.Zero);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(80, 60, 20)]
    [InlineData(40, 30, 10)]
    [InlineData(15, 10, 5)]
    [InlineData(200, 180, 20)]
    public void Run_duration_splits_into_offer_and_drain(int duration, int offer, int drain)
    {
        var (o, d) = RunBudget.Split(TimeSpan.FromSeconds(duration));

        o.Should().Be(TimeSpan.FromSeconds(offer));
        d.Should().Be(TimeSpan.FromSeconds(drain));
    }

    [Fact]
    public void Duration_for_an_offer_is_the_shortest_whole_second_duration_that_offers_it()
    {
        for (var offer = 2; offer <= 300; offer++)
        {
            var duration = RunBudget.DurationFor(TimeSpan.FromSeconds(offer));

            RunBudget.Split(duration).Offer.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(offer), $"offer {offer} s");
            RunBudget.Split(duration - TimeSpan.FromSeconds(1)).Offer.Should().BeLessThan(TimeSpan.FromSeconds(offer), $"offer {offer} s");
            (duration.TotalSeconds % 1).Should().Be(0);
        }

        RunBudget.DurationFor(TimeSpan.FromSeconds(60)).Should().Be(TimeSpan.FromSeconds(80));
    }
}
