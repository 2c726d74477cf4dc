using System.Collections.Concurrent;

namespace MesErpStreams.Observability;

/// <summary>A running metrics and health endpoint; dispose to stop it.</summary>
public sealed class MetricsEndpointHandle : IAsyncDisposable
{
    private readonly Func<ValueTask> _stop;
    private readonly ConcurrentDictionary<string, IReadinessCheck> _checks;
    private int _disposed;

    internal MetricsEndpointHandle(Uri url, ConcurrentDictionary<string, IReadinessCheck> checks, Func<ValueTask> stop)
    {
        Url = url;
        _checks = checks;
        _stop = stop;
    }

    /// <summary>Base URL actually bound (e.g. <c>http://127.0.0.1:9464/</c>), with the real port when 0 was asked.</summary>
    public Uri Url { get; }

    /// <summary>URL of the Prometheus scrape endpoint.</summary>
    public Uri MetricsUrl => new(Url, "metrics");

    /// <summary>Registers (or replaces, by name) a readiness check after start, e.g. when a component comes up.</summary>
    public void AddReadinessCheck(IReadinessCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        _checks[check.Name] = check;
    }

    /// <summary>Removes the readiness check with this name.</summary>
    public bool RemoveReadinessCheck(string name) => _checks.TryRemove(name, out _);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _stop().ConfigureAwait(false);
        }
    }
}
