using System.Diagnostics;
using System.Globalization;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Kafka.IntegrationTests;

/// <summary>The transactional passthrough (MesErpStreams.Kafka.TxnWorker) as a child process, so it can be killed with SIGKILL.</summary>
internal sealed class TxnWorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private TxnWorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_lines) { _lines.Add(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_lines) { _lines.Add("stderr: " + e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static TxnWorkerProcess Start(string bootstrap, string input, string output, string group, string transactionalId,
        int holdMs, int transactionTimeoutMs)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "MesErpStreams.Kafka.TxnWorker");
        File.Exists(exe).Should().BeTrue($"the worker apphost is built next to the tests at {exe}");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { bootstrap, input, output, group, transactionalId, holdMs.ToString(CultureInfo.InvariantCulture), transactionTimeoutMs.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        return new TxnWorkerProcess(Process.Start(psi)!);
    }

    public IReadOnlyList<string> Lines { get { lock (_lines) { return [.. _lines]; } } }

    /// <summary>Inputs this process committed, from its last "committed N" line.</summary>
    public long Committed => Lines.LastOrDefault(l => l.StartsWith("committed ", StringComparison.Ordinal)) is { } l
        ? long.Parse(l["committed ".Length..], CultureInfo.InvariantCulture) : 0;

    /// <summary>True when the last line says a transaction has produced and not committed yet.</summary>
    public bool InsideTransaction => Lines.LastOrDefault(l => !l.StartsWith("stderr", StringComparison.Ordinal))?.StartsWith("open ", StringComparison.Ordinal) == true;

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no shutdown code runs, the open transaction stays open on the broker.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then waits for the worker to finish its transaction and exit.</summary>
    public async Task TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        await Eventually.TrueAsync(() => _process.HasExited, TimeSpan.FromSeconds(60), "the worker to exit after SIGTERM");
        _process.ExitCode.Should().Be(0, string.Join('\n', Lines.TakeLast(20)));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
