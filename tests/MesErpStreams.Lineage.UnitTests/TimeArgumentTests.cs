using MesErpStreams.Lineage.Internal;

namespace MesErpStreams.Lineage.UnitTests;

public sealed class TimeArgumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2h", "2026-11-22T10:00:00Z")]
    [InlineData("30m", "2026-11-22T11:30:00Z")]
    [InlineData("7d", "2026-11-15T12:00:00Z")]
    [InlineData("2026-11-22T08:15:00Z", "2026-11-22T08:15:00Z")]
    [InlineData("2026-11-22T08:15:00", "2026-11-22T08:15:00Z")]
    [InlineData("2026-11-22T09:15:00+01:00", "2026-11-22T08:15:00Z")]
    [InlineData("2026-11-22", "2026-11-22T00:00:00Z")]
    public void Times_are_absolute_or_a_duration_ago(string text, string expected)
    {
        TimeArgument.TryParse(text, Now, out var t).Should().BeTrue();
        t.Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-2h")]
    [InlineData("0")]
    public void Malformed_times_are_rejected(string text) => TimeArgument.TryParse(text, Now, out _).Should().BeFalse();
}
