using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace MesErpStreams.Avro.UnitTests.Oracle;

/// <summary>Runs Apache Avro's Python implementation (Debian python3-avro) on a batch of JSON-lines cases.</summary>
internal static class PythonOracle
{
    private static readonly Lazy<string> Interpreter = new(FindInterpreter);

    private static string FindInterpreter()
    {
        // AVRO_ORACLE_PYTHON pins the interpreter (and is how the "not installed" failure is exercised).
        var pinned = Environment.GetEnvironmentVariable("AVRO_ORACLE_PYTHON");
        var candidates = string.IsNullOrEmpty(pinned) ? new[] { "/usr/bin/python3", "python3" } : [pinned];
        var tried = new List<string>();
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrEmpty(candidate))
            {
                continue;
            }

            try
            {
                var (exit, output) = Run(candidate, ["-c", "import avro.io, avro.schema, avro.compatibility"], string.Empty);
                if (exit == 0)
                {
                    return candidate;
                }

                tried.Add($"{candidate}: {output.Trim()}");
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                tried.Add($"{candidate}: {ex.Message}");
            }
        }

        throw new InvalidOperationException(
            "Apache Avro's Python library (Debian package python3-avro) is not available, so the cross-implementation oracle cannot run. "
            + "Run `make setup` (it installs python3-avro). Tried: " + string.Join(" | ", tried));
    }

    public static List<JsonObject> Call(string command, IEnumerable<JsonObject> cases)
    {
        var input = new StringBuilder();
        var count = 0;
        foreach (var c in cases)
        {
            input.Append(c.ToJsonString()).Append('\n');
            count++;
        }

        var script = Path.Combine(AppContext.BaseDirectory, "Oracle", "avro_oracle.py");
        var (exit, output) = Run(Interpreter.Value, [script, command], input.ToString());
        if (exit != 0)
        {
            throw new InvalidOperationException($"avro_oracle.py {command} exited with {exit}: {output}");
        }

        var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        if (results.Count != count)
        {
            throw new InvalidOperationException($"avro_oracle.py {command} answered {results.Count} of {count} cases: {output}");
        }

        return results;
    }

    private static (int Exit, string Output) Run(string fileName, string[] args, string stdin)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(psi)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within 2 minutes");
        }

        var stdout = stdoutTask.GetAwaiter().GetResult();
        var stderr = stderrTask.GetAwaiter().GetResult();
        return (process.ExitCode, process.ExitCode == 0 ? stdout : stdout + stderr);
    }
}
