using System.Diagnostics;
using System.Globalization;

namespace MesErpStreams.Harness;

/// <summary>
/// One product process (<c>meserp process|sink|erp-sim|edge publish</c>) the way an operator runs it: started with
/// arguments and environment (secrets only there), stopped with SIGTERM or killed with SIGKILL, restarted with the same
/// arguments. Every line it writes goes to its log file (appended across restarts, with the harness's receive time)
/// and to the watchers, so the harness can time "partitions assigned" and grep for leaked secrets.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly string _exe;
    private readonly IReadOnlyList<string> _args;
    private readonly IReadOnlyDictionary<string, string> _env;
    private readonly StreamWriter _log;
    private readonly Lock _lock = new();
    private readonly List<Action<string>> _watchers = [];
    private Process? _process;
    private int _disposed;

    /// <summary>Prepares a child process; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="name">Name in the harness's output and of the log file (<c>NAME.log</c>).</param>
    /// <param name="exe">The executable.</param>
    /// <param name="args">Its arguments (passed as they are, no shell).</param>
    /// <param name="env">Environment variables added to the harness's own.</param>
    /// <param name="logDirectory">Where the log file goes.</param>
    /// <param name="redirectStdin">Give the harness the process's standard input (<see cref="Stdin"/>).</param>
    public ChildProcess(string name, string exe, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, string logDirectory, bool redirectStdin = false)
    {
        Name = name;
        _exe = exe;
        _args = args;
        _env = env;
        RedirectStdin = redirectStdin;
        LogPath = Path.Combine(logDirectory, name + ".log");
        _log = new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <summary>Name in the harness's output and of the log file.</summary>
    public string Name { get; }

    /// <summary>The log file: every output line, with the harness's receive time.</summary>
    public string LogPath { get; }

    /// <summary>Whether the harness writes the process's standard input.</summary>
    public bool RedirectStdin { get; }

    /// <summary>Starts since construction (1 = never restarted).</summary>
    public int Starts { get; private set; }

    /// <summary>Started and not exited.</summary>
    public bool Running => _process is { HasExited: false };

    /// <summary>Exit code of the last instance, or null while it runs or before the first start.</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>Process id of the current instance, or null before the first start.</summary>
    public int? Id => _process?.Id;

    /// <summary>
    /// CPU time (user + system) the running instance has used so far, or null when it is not running (the kernel's
    /// figure is gone once the process has exited and been reaped).
    /// </summary>
    public TimeSpan? TotalProcessorTime
    {
        get
        {
            try
            {
                if (_process is { HasExited: false } p)
                {
                    p.Refresh();
                    return p.TotalProcessorTime;
                }
            }
            catch (InvalidOperationException)
            {
                // exited between the check and the read
            }

            return null;
        }
    }

    /// <summary>Standard input of the running instance (only with <see cref="RedirectStdin"/>).</summary>
    public Stream Stdin => _process?.StandardInput.BaseStream ?? throw new InvalidOperationException($"{Name} is not running");

    /// <summary>Calls <paramref name="watcher"/> with every output line from now on (any thread).</summary>
    public void Watch(Action<string> watcher)
    {
        lock (_lock)
        {
            _watchers.Add(watcher);
        }
    }

    /// <summary>Starts the process (again, after an exit, with the same arguments).</summary>
    /// <exception cref="InvalidOperationException">It is already running.</exception>
    public void Start()
    {
        if (Running)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        var psi = new ProcessStartInfo(_exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = RedirectStdin,
            UseShellExecute = false,
        };
        foreach (var a in _args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in _env)
        {
            psi.Environment[k] = v;
        }

        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => OnLine(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _process?.Dispose();
        _process = p;
        Starts++;
        Write($"---- start #{Starts} pid {p.Id}: {Path.GetFileName(_exe)} {string.Join(' ', _args)}");
    }

    /// <summary>SIGTERM, then waits for the exit (SIGKILL after <paramref name="grace"/>).</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan grace)
    {
        var p = _process;
        if (p is null || p.HasExited)
        {
            return TimeSpan.Zero;
        }

        var clock = Stopwatch.StartNew();
        Signal(p, "-TERM");
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Write($"---- no exit {grace.TotalSeconds:0} s after SIGTERM; SIGKILL");
            p.Kill();
            await p.WaitForExitAsync(CancellationToken.None);
        }

        Write($"---- exited with {p.ExitCode} after SIGTERM ({clock.Elapsed.TotalSeconds:0.0} s)");
        return clock.Elapsed;
    }

    /// <summary>SIGKILL: nothing of the process's shutdown code runs.</summary>
    public async Task KillAsync()
    {
        var p = _process;
        if (p is null || p.HasExited)
        {
            return;
        }

        p.Kill();
        await p.WaitForExitAsync(CancellationToken.None);
        Write("---- killed (SIGKILL)");
    }

    /// <summary>Waits for the process to exit on its own.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="ct">Cancels the wait (the process keeps running).</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="OperationCanceledException">Not exited within <paramref name="timeout"/>, or cancelled.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var p = _process ?? throw new InvalidOperationException($"{Name} was never started");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        await p.WaitForExitAsync(cts.Token);
        return p.ExitCode;
    }

    /// <summary>Closes standard input (end of input) and waits for the exit.</summary>
    public async Task<int> CloseInputAndWaitAsync(TimeSpan timeout)
    {
        var p = _process ?? throw new InvalidOperationException($"{Name} was never started");
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token);
        return p.ExitCode;
    }

    /// <summary>Appends a harness line to the log file.</summary>
    public void Write(string line)
    {
        lock (_lock)
        {
            _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        }
    }

    /// <summary>Kills the process if it still runs; idempotent (an edge is disposed when it exits and with the platform).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync(CancellationToken.None);
        }

        _process?.Dispose();
        lock (_lock)
        {
            _log.Dispose();
        }
    }

    private static void Signal(Process p, string signal)
    {
        using var kill = Process.Start("kill", [signal, p.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        Action<string>[] watchers;
        lock (_lock)
        {
            _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            watchers = [.. _watchers];
        }

        foreach (var w in watchers)
        {
            w(line);
        }
    }
}
