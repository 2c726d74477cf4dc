using System.Globalization;
using MesErpStreams.Harness;

namespace MesErpStreams.PipelineBench;

/// <summary>
/// The long-lived processes of a multi-process point, started in dependency order and each waited for:
/// <c>meserp embedded</c> (one broker, like <c>meserp run</c>; prints its addresses), <c>meserp erp-sim</c>
/// (<c>/health</c>), two <c>meserp process</c> and two <c>meserp sink</c> (<c>/health/ready</c> of their metrics
/// endpoints). Every process logs to <c>logs/NAME.log</c> under the point's directory.
/// </summary>
internal sealed class MultiProcessPlatform : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly string _meserp;
    private readonly string _work;
    private readonly string _logs;
    private readonly List<ChildProcess> _services = [];

    private MultiProcessPlatform(string meserp, string work)
    {
        _meserp = meserp;
        _work = work;
        _logs = Directory.CreateDirectory(Path.Combine(work, "logs")).FullName;
    }

    public string BootstrapServers { get; private set; } = string.Empty;

    public string RegistryUrl { get; private set; } = string.Empty;

    public Uri ErpUrl { get; private set; } = null!;

    public static async Task<MultiProcessPlatform> StartAsync(string meserp, string work, int erpLatencyMs, CancellationToken ct)
    {
        var platform = new MultiProcessPlatform(meserp, work);
        try
        {
            await platform.StartInternalAsync(erpLatencyMs, ct);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>The publisher: a process against this platform's cluster and registry, not started, not a service.</summary>
    public ChildProcess Publisher(IReadOnlyList<string> args) =>
        new("publisher", _meserp, [.. args, "--bootstrap-servers", BootstrapServers, "--schema-registry-url", RegistryUrl], new Dictionary<string, string>(), _logs);

    /// <summary>CPU time (user + system) of the services so far.</summary>
    /// <exception cref="InvalidOperationException">A service is not running (its CPU time is gone).</exception>
    public TimeSpan CpuOfServices()
    {
        var total = TimeSpan.Zero;
        foreach (var s in _services)
        {
            total += s.TotalProcessorTime ?? throw new InvalidOperationException($"{s.Name} is not running (exit {s.ExitCode}; see {s.LogPath})");
        }

        return total;
    }

    /// <summary>The first service that is no longer running, if any.</summary>
    public ChildProcess? Exited() => _services.FirstOrDefault(s => !s.Running);

    /// <summary>SIGTERM to every service, publisher side first (30 s grace each, then SIGKILL).</summary>
    public async Task StopAsync()
    {
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            await _services[i].TerminateAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Removes the ledger and the state stores (after a passing point); the logs stay.</summary>
    public void DeleteState()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(_work).Where(e => Path.GetFullPath(e) != _logs))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            await _services[i].DisposeAsync();
        }
    }

    private async Task StartInternalAsync(int erpLatencyMs, CancellationToken ct)
    {
        var registryPort = LoopbackPorts.Free();
        var embedded = Add("embedded", ["embedded", "--brokers", "1", "--registry-port", Invariant($"{registryPort}")]);
        var bootstrap = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        embedded.Watch(line =>
        {
            if (line.StartsWith("bootstrap.servers=", StringComparison.Ordinal))
            {
                bootstrap.TrySetResult(line["bootstrap.servers=".Length..].Trim());
            }
            else if (line.StartsWith("schema.registry.url=", StringComparison.Ordinal))
            {
                registry.TrySetResult(line["schema.registry.url=".Length..].Trim());
            }
        });
        embedded.Start();
        var both = Task.WhenAll(bootstrap.Task, registry.Task);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!both.IsCompleted)
        {
            ct.ThrowIfCancellationRequested();
            if (!embedded.Running)
            {
                throw new InvalidOperationException($"meserp embedded exited with {embedded.ExitCode} (see {embedded.LogPath})");
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException($"meserp embedded printed no addresses within {StartTimeout.TotalMinutes:0} min (see {embedded.LogPath})");
            }

            await Task.WhenAny(both, Task.Delay(200, ct));
        }

        BootstrapServers = bootstrap.Task.Result;
        RegistryUrl = registry.Task.Result;

        var erpPort = LoopbackPorts.Free();
        ErpUrl = new Uri($"http://127.0.0.1:{erpPort}/");
        var erp = Add("erp-sim", ["erp-sim", "--port", Invariant($"{erpPort}"), "--ledger", Path.Combine(_work, "erp-ledger.db"), "--latency-ms", Invariant($"{erpLatencyMs}")]);
        erp.Start();
        await ErpLedger.WaitUntilUpAsync(ErpUrl, TimeSpan.FromSeconds(60), erp.LogPath, ct);

        var ready = new List<(ChildProcess Process, int Port)>();
        for (var i = 0; i < 2; i++)
        {
            var port = LoopbackPorts.Free();
            var p = Add($"processor-{i}", ["process", "--bootstrap-servers", BootstrapServers, "--schema-registry-url", RegistryUrl,
                "--state-dir", Path.Combine(_work, $"processor-{i}"), "--metrics-port", Invariant($"{port}")]);
            p.Start();
            ready.Add((p, port));
        }

        for (var i = 0; i < 2; i++)
        {
            // As `meserp run` configures its sink: no client-side rate limit, short retry delays.
            var port = LoopbackPorts.Free();
            var s = Add($"sink-{i}", ["sink", "--bootstrap-servers", BootstrapServers, "--schema-registry-url", RegistryUrl, "--erp-url", ErpUrl.ToString(),
                "--rps", "0", "--retry-delays", "2s,5s,10s", "--metrics-port", Invariant($"{port}")]);
            s.Start();
            ready.Add((s, port));
        }

        foreach (var (process, port) in ready)
        {
            await WaitReadyAsync(process, port, ct);
        }
    }

    private static async Task WaitReadyAsync(ChildProcess process, int port, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!process.Running)
            {
                throw new InvalidOperationException($"{process.Name} exited with {process.ExitCode} while starting (see {process.LogPath})");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative), ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not listening yet
            }

            await Task.Delay(250, ct);
        }

        throw new InvalidOperationException($"{process.Name} was not ready within {StartTimeout.TotalMinutes:0} min (see {process.LogPath})");
    }

    private ChildProcess Add(string name, IReadOnlyList<string> args)
    {
        var p = new ChildProcess(name, _meserp, args, new Dictionary<string, string>(), _logs);
        _services.Add(p);
        return p;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
