namespace MesErpStreams.Observability;

/// <summary>
/// Ready-made <see cref="IReadinessCheck"/>s: a settable flag (the component calls <see cref="SetReady"/> when, say,
/// its partitions are restored) or a delegate evaluated on each request.
/// </summary>
public sealed class ReadinessCheck : IReadinessCheck
{
    private readonly Func<CancellationToken, ValueTask<ReadinessResult>>? _probe;
    private volatile bool _ready;
    private volatile string? _detail;

    /// <summary>Creates a flag check, initially not ready.</summary>
    /// <param name="name">Name shown in the readiness report.</param>
    /// <param name="initialDetail">Detail reported while not ready.</param>
    public ReadinessCheck(string name, string? initialDetail = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _detail = initialDetail;
    }

    private ReadinessCheck(string name, Func<CancellationToken, ValueTask<ReadinessResult>> probe)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _probe = probe;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>A check that evaluates <paramref name="isReady"/> on each request.</summary>
    public static ReadinessCheck From(string name, Func<bool> isReady)
    {
        ArgumentNullException.ThrowIfNull(isReady);
        return new ReadinessCheck(name, _ => ValueTask.FromResult(isReady() ? ReadinessResult.Ready : ReadinessResult.NotReady()));
    }

    /// <summary>A check that runs <paramref name="probe"/> on each request (e.g. an HTTP call to the ERP).</summary>
    public static ReadinessCheck From(string name, Func<CancellationToken, ValueTask<ReadinessResult>> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new ReadinessCheck(name, probe);
    }

    /// <summary>Sets a flag check's state (ignored by delegate checks).</summary>
    public void SetReady(bool ready = true, string? detail = null)
    {
        _detail = detail;
        _ready = ready;
    }

    /// <inheritdoc/>
    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken) =>
        _probe is not null ? _probe(cancellationToken) : ValueTask.FromResult(new ReadinessResult(_ready, _detail));
}
