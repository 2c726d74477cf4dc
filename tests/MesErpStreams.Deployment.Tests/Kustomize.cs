using System.Diagnostics;

namespace MesErpStreams.Deployment.Tests;

/// <summary>Renders kustomizations with `kubectl kustomize` (or a standalone `kustomize build`) when one is installed.</summary>
internal static class Kustomize
{
    private static readonly Lazy<(string File, string[] Args)?> Tool = new(FindTool);
    private static string? _toolProblem;
    private static readonly Dictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>The overlays under k8s/overlays.</summary>
    public static IReadOnlyList<string> Overlays { get; } =
        Directory.GetDirectories(Repo.Path("k8s", "overlays")).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>Why rendering is not possible here, or null when a tool was found.</summary>
    public static string? Unavailable => Tool.Value is null
        ? _toolProblem ?? "neither kubectl nor kustomize is on PATH: the overlays were not rendered (install kubectl 1.21 or later, which embeds kustomize v4+, or a kustomize v4+ binary)"
        : null;

    /// <summary>The rendered YAML of a kustomization directory (relative to the repository root).</summary>
    /// <exception cref="InvalidOperationException">No tool, or it failed; the message carries its error output.</exception>
    public static string Render(string directory)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(directory, out var cached))
            {
                return cached;
            }
        }

        var (file, args) = Tool.Value ?? throw new InvalidOperationException(Unavailable);
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.ArgumentList.Add(Repo.Path(directory));
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} {directory} did not finish in 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} {directory} failed (exit {process.ExitCode}): {stderr.Result}");
        }

        lock (Cache)
        {
            Cache[directory] = stdout;
        }

        return stdout;
    }

    private static (string, string[])? FindTool()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var kubectl = System.IO.Path.Combine(dir, "kubectl");
            if (File.Exists(kubectl))
            {
                // kubectl before 1.21 embeds kustomize v2, which lacks `patches` with targets; such a kubectl is no tool.
                var version = Run(kubectl, ["version", "--client"]);
                var match = System.Text.RegularExpressions.Regex.Match(version, @"Kustomize Version: v(\d+)");
                if (match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 4)
                {
                    return (kubectl, ["kustomize"]);
                }

                _toolProblem = $"{kubectl} embeds no kustomize v4 or later (`kubectl version --client` said: {version.Trim()}): the overlays were not rendered";
            }
        }

        foreach (var dir in path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(System.IO.Path.Combine(dir, "kustomize")))
            {
                return (System.IO.Path.Combine(dir, "kustomize"), ["build"]);
            }
        }

        return null;
    }

    private static string Run(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi);
        if (process is null)
        {
            return "";
        }

        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
        }

        return output + stderr.Result;
    }
}
