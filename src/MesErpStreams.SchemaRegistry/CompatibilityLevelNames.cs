using MesErpStreams.Avro.Compatibility;

namespace MesErpStreams.SchemaRegistry;

/// <summary>The registry's names of <see cref="CompatibilityLevel"/> (e.g. <c>BACKWARD_TRANSITIVE</c>).</summary>
public static class CompatibilityLevelNames
{
    /// <summary>The registry name of <paramref name="level"/>.</summary>
    public static string ToName(CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.None => "NONE",
        CompatibilityLevel.Backward => "BACKWARD",
        CompatibilityLevel.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityLevel.Forward => "FORWARD",
        CompatibilityLevel.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityLevel.Full => "FULL",
        CompatibilityLevel.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown compatibility level"),
    };

    /// <summary>Parses a registry name (case-insensitive, '-' or '_').</summary>
    public static bool TryParse(string? name, out CompatibilityLevel level)
    {
        level = CompatibilityLevel.Backward;
        switch (name?.Trim().Replace('-', '_').ToUpperInvariant())
        {
            case "NONE": level = CompatibilityLevel.None; return true;
            case "BACKWARD": level = CompatibilityLevel.Backward; return true;
            case "BACKWARD_TRANSITIVE": level = CompatibilityLevel.BackwardTransitive; return true;
            case "FORWARD": level = CompatibilityLevel.Forward; return true;
            case "FORWARD_TRANSITIVE": level = CompatibilityLevel.ForwardTransitive; return true;
            case "FULL": level = CompatibilityLevel.Full; return true;
            case "FULL_TRANSITIVE": level = CompatibilityLevel.FullTransitive; return true;
            default: return false;
        }
    }
}
