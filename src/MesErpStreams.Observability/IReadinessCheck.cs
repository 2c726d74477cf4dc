namespace MesErpStreams.Observability;

/// <summary>
/// A named condition that must hold before the process reports ready on <c>/health/ready</c>
/// (e.g. "partitions restored", "tables bootstrapped", "ERP reachable"). Implement it or use
/// <see cref="ReadinessCheck"/>.
/// </summary>
public interface IReadinessCheck
{
    /// <summary>Name shown in the readiness report.</summary>
    string Name { get; }

    /// <summary>Evaluates the condition. Should be quick; the endpoint applies a timeout.</summary>
    /// <param name="cancellationToken">Cancelled when the timeout passes or the request ends.</param>
    /// <returns>Whether the condition holds, with an optional detail.</returns>
    ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}
