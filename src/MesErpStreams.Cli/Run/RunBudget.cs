namespace MesErpStreams.Cli.Run;

/// <summary>
/// How <c>meserp run --duration D</c> spends D: the MES simulator offers load for most of it and a quarter of it
/// (5 s at least, 20 s at most) is reserved for the drain. The drain itself waits as long as postings keep arriving
/// (see <see cref="DrainGrace"/>, <see cref="DrainStall"/>), up to <c>--max-drain</c>, so a run may end later than D.
/// </summary>
public static class RunBudget
{
    /// <summary>Shortest drain reserve: 5 s.</summary>
    public static readonly TimeSpan MinDrain = TimeSpan.FromSeconds(5);

    /// <summary>Longest drain reserve: 20 s.</summary>
    public static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(20);

    /// <summary>Shortest offer window: 1 s.</summary>
    public static readonly TimeSpan MinOffer = TimeSpan.FromSeconds(1);

    /// <summary>Added to the drain reserve before the drain gives up on a ledger that has stopped growing: 30 s.</summary>
    public static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(30);

    /// <summary>After the reserve and grace, the drain gives up once the ledger has not grown for this long: 15 s.</summary>
    public static readonly TimeSpan DrainStall = TimeSpan.FromSeconds(15);

    /// <summary>Default of <c>--max-drain</c>, the longest drain: 10 minutes.</summary>
    public static readonly TimeSpan DefaultMaxDrain = TimeSpan.FromMinutes(10);

    /// <summary>The offer window and the drain reserve of a run of <paramref name="duration"/>.</summary>
    /// <param name="duration">The <c>--duration</c> value.</param>
    /// <returns>Offer = duration − drain (at least <see cref="MinOffer"/>); drain = duration / 4 within [<see cref="MinDrain"/>, <see cref="MaxDrain"/>].</returns>
    public static (TimeSpan Offer, TimeSpan Drain) Split(TimeSpan duration)
    {
        var drain = TimeSpan.FromTicks(Math.Clamp(duration.Ticks / 4, MinDrain.Ticks, MaxDrain.Ticks));
        return (duration - drain > MinOffer ? duration - drain : MinOffer, drain);
    }

    /// <summary>
    /// The shortest whole-second <c>--duration</c> whose offer window is at least <paramref name="offer"/> (the
    /// benchmark asks for offered load, the run takes a total duration).
    /// </summary>
    /// <param name="offer">Wanted offer window (at least <see cref="MinOffer"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offer"/> is shorter than <see cref="MinOffer"/>.</exception>
    public static TimeSpan DurationFor(TimeSpan offer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(offer, MinOffer);
        // Inverse of Split: the drain is the lower bound, the upper bound, or a quarter of the duration.
        var duration = offer + MinDrain <= MinDrain * 4 ? offer + MinDrain
            : offer + MaxDrain >= MaxDrain * 4 ? offer + MaxDrain
            : offer * 4 / 3;
        duration = TimeSpan.FromSeconds(Math.Ceiling(duration.TotalSeconds));
        while (Split(duration).Offer < offer)
        {
            duration += TimeSpan.FromSeconds(1); // rounding guard
        }

        return duration;
    }
}
