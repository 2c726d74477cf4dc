using MesErpStreams.Cli.Run;

namespace MesErpStreams.Cli.IntegrationTests;

public sealed class LatencySampleTests
{
    [Fact]
    public void Percentiles_are_nearest_rank_in_milliseconds()
    {
        var sample = new LatencySample(random: new Random(1));
        foreach (var ms in Enumerable.Range(1, 100).OrderBy(_ => Random.Shared.Next()))
        {
            sample.Add(ms / 1000d);
        }

        sample.PercentileMs(50).Should().Be(50);
        sample.PercentileMs(99).Should().Be(99);
        sample.PercentileMs(100).Should().Be(100);
        sample.PercentileMs(0.5).Should().Be(1);
        sample.Count.Should().Be(100);
    }

    [Fact]
    public void Percentile_rounds_to_a_tenth_of_a_millisecond()
    {
        var sample = new LatencySample();
        sample.Add(0.12346);

        sample.PercentileMs(50).Should().Be(123.5);
    }

    [Fact]
    public void Empty_sample_has_no_percentile()
    {
        new LatencySample().PercentileMs(99).Should().BeNull();
    }

    [Fact]
    public void Sample_beyond_its_capacity_stays_uniform_over_the_whole_run()
    {
        // A run's latencies grow as its backlog builds: a sample that kept mostly the newest values (replacing a random
        // slot for every new value) would report the end of the run as the whole run (median near 99,000 ms here).
        var sample = new LatencySample(capacity: 1_000, random: new Random(7));
        for (var i = 0; i < 100_000; i++)
        {
            sample.Add(i / 1000d);
        }

        sample.Count.Should().Be(100_000);
        sample.PercentileMs(50).Should().BeInRange(45_000, 55_000);
        sample.PercentileMs(10).Should().BeInRange(7_000, 13_000);
        sample.PercentileMs(99).Should().BeGreaterThan(97_000);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void Percentile_outside_0_to_100_is_rejected(double p)
    {
        var act = () => new LatencySample().PercentileMs(p);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
