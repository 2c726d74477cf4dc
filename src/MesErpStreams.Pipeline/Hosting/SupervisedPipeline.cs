using Microsoft.Extensions.Logging;

namespace MesErpStreams.Pipeline.Hosting;

/// <summary>
/// Keeps a <see cref="StreamizPipeline"/> running: a Streamiz instance that stops on a fatal error (a transaction that
/// could not be initialised while every broker was down, a fenced producer, a dirty close) is disposed and a fresh one
/// started after a backoff (1 s, doubling to <see cref="MaxRestartDelay"/>; back to 1 s after ten healthy minutes), so
/// an outage of any length needs no supervisor (found by the fault suite: a processor restarted while all brokers were
/// down died in its first assignment and stayed down). Streamiz 1.8.2 keeps a dead thread's RocksDB stores open
/// (their locks held), so each restart runs on a state directory of its own under <c>restarts/</c> (its unclean state
/// is discarded anyway and restores from the changelogs); they are removed at the next start of the process.
/// <c>meserp process</c> and <c>meserp run</c> host it.
/// </summary>
public sealed class SupervisedPipeline : IAsyncDisposable
{
    /// <summary>Longest wait before a failed instance is replaced.</summary>
    public static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    private readonly Func<string, StreamizPipeline> _create;
    private readonly string _stateDirectory;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private StreamizPipeline? _current;
    private Task _supervision = Task.CompletedTask;
    private int _restarts;
    private int _disposed;

    /// <summary>Creates a supervisor; nothing runs before <see cref="StartAsync"/>.</summary>
    /// <param name="create">Makes an instance that keeps its stores in the given state directory.</param>
    /// <param name="stateDirectory">The state directory of the first instance.</param>
    /// <param name="loggers">Logging.</param>
    public SupervisedPipeline(Func<string, StreamizPipeline> create, string stateDirectory, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentNullException.ThrowIfNull(loggers);
        _create = create;
        _stateDirectory = stateDirectory;
        _log = loggers.CreateLogger("meserp.process");
    }

    /// <summary>Whether the current instance is RUNNING (readiness).</summary>
    public bool Running => Volatile.Read(ref _current)?.Running == true;

    /// <summary>Instances started again after a fatal error so far.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>Starts the first instance and the supervision; returns once it runs (see <see cref="StreamizPipeline.StartAsync"/>).</summary>
    /// <exception cref="InvalidOperationException">Topics are missing or mis-partitioned; the message names them.</exception>
    public async Task StartAsync(CancellationToken ct)
    {
        var restarts = Path.Combine(_stateDirectory, "restarts");
        if (Directory.Exists(restarts))
        {
            Directory.Delete(restarts, recursive: true);
        }

        var first = _create(_stateDirectory);
        Volatile.Write(ref _current, first);
        await first.StartAsync(ct);
        _supervision = SuperviseAsync(_stop.Token);
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        var delay = TimeSpan.FromSeconds(1);
        var healthy = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var failed = Volatile.Read(ref _current)!;
            var state = await failed.Failed.WaitAsync(stop);
            if (healthy.Elapsed > TimeSpan.FromMinutes(10))
            {
                delay = TimeSpan.FromSeconds(1);
            }

            var restart = Interlocked.Increment(ref _restarts);
            _log.LogError("processor stopped on a fatal error (state {State}; see the errors above): a new instance starts in {Delay} with its local state restored from the changelogs (restart {Restart})",
                state, delay, restart);
            PipelineMetrics.EngineRestarts.Add(1);
            Volatile.Write(ref _current, null);
            failed.Dispose();
            await Task.Delay(delay, stop);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRestartDelay.Ticks));
            var next = _create(Path.Combine(_stateDirectory, "restarts", restart.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Volatile.Write(ref _current, next);
            healthy.Restart();
            try
            {
                await next.StartAsync(stop);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The topics were there at the first start: whatever changed them may change back; keep trying. The
                // instance counts as failed: the next round disposes it and starts another.
                _log.LogError("processor restart {Restart} cannot start: {Reason}", restart, e.Message);
                next.MarkFailed();
            }
        }
    }

    /// <summary>Stops supervising and closes the current instance (committing its open transaction). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _supervision;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        Volatile.Read(ref _current)?.Dispose();
        _stop.Dispose();
    }
}
