using System.Diagnostics;
using System.Text;
using FluentAssertions;

namespace MesErpStreams.TestUtils;

/// <summary>Runs the real <c>meserp</c> executable (the apphost built next to the tests) as a child process.</summary>
public sealed class MeserpProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private MeserpProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_stdout) { _stdout.AppendLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_stderr) { _stderr.AppendLine(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static MeserpProcess Start(params string[] args)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "meserp");
        File.Exists(exe).Should().BeTrue($"the meserp apphost should be built next to the tests at {exe}");
        // Through env(1) with SIGINT and SIGQUIT back at their defaults: a shell starts background jobs (CI launched
        // with `&`, nohup) with both ignored, children inherit that and .NET keeps an inherited SIG_IGN, so Interrupt()
        // would do nothing. A terminal's foreground process, which Ctrl-C reaches, has them at their defaults.
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--default-signal=INT,QUIT");
        psi.ArgumentList.Add(exe);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return new MeserpProcess(Process.Start(psi)!);
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        await using var p = Start(args);
        await p.WaitForExitAsync(timeout);
        return (p.ExitCode, p.Stdout, p.Stderr);
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>Sends SIGINT (Ctrl-C) to the process.</summary>
    public void Interrupt() => Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    /// <summary>Sends SIGTERM (what Kubernetes and supervisors send; a shell ignores SIGINT for background jobs).</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    /// <summary>SIGKILL: no shutdown code runs (an open transaction stays open on the broker until fenced or timed out).</summary>
    public async Task KillHardAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
