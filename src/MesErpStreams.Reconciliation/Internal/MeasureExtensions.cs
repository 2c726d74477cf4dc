namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Report labels of <see cref="Measure"/>.</summary>
internal static class MeasureExtensions
{
    public static string Label(this Measure m) => m switch
    {
        Measure.Confirmed => "confirmed",
        Measure.Scrapped => "scrapped",
        Measure.Consumed => "consumed",
        Measure.HoldPlaced => "hold-placed",
        Measure.HoldReleased => "hold-released",
        _ => "other",
    };

    /// <summary>Removes trailing zeros (2.500 → 2.5) for display.</summary>
    public static decimal Normalize(this decimal d) => d / 1.000000000000000000000000000000000m;
}
