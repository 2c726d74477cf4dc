namespace MesErpStreams.SchemaRegistry;

/// <summary>Verdict of a registry compatibility test.</summary>
/// <param name="IsCompatible">True when the schema may be registered.</param>
/// <param name="Messages">Why not (verbose mode), naming fields; empty when compatible.</param>
public sealed record CompatibilityCheckResult(bool IsCompatible, IReadOnlyList<string> Messages);
