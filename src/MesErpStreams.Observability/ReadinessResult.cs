namespace MesErpStreams.Observability;

/// <summary>Outcome of one <see cref="IReadinessCheck"/>.</summary>
/// <param name="IsReady">Whether the condition holds.</param>
/// <param name="Detail">Optional explanation (e.g. "3 of 6 partitions restored").</param>
public readonly record struct ReadinessResult(bool IsReady, string? Detail = null)
{
    /// <summary>Ready without detail.</summary>
    public static ReadinessResult Ready => new(true);

    /// <summary>Not ready, with a reason.</summary>
    public static ReadinessResult NotReady(string? detail = null) => new(false, detail);
}
