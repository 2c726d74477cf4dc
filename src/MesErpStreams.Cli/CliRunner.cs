using System.CommandLine;
using Microsoft.Extensions.Options;

namespace MesErpStreams.Cli;

/// <summary>
/// Runs a parsed command line. Parse errors and invalid configuration stop the program at start with a message
/// naming the option (exit code 2); other failures print their message and exit 1.
/// </summary>
public static class CliRunner
{
    /// <summary>Exit code for a bad flag or configuration value.</summary>
    public const int UsageError = 2;

    /// <summary>How long a command may take to finish after SIGTERM or Ctrl-C before the process is ended.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Parses and invokes <paramref name="args"/>.</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        error ??= Console.Error;
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                await error.WriteLineAsync($"meserp: {e.Message}");
            }

            await error.WriteLineAsync("Run 'meserp --help' (or '<command> --help') for usage.");
            return UsageError;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                // SIGTERM/Ctrl-C cancel the command's token; the command then drains (open transactions, in-flight ERP
                // calls, the run's final reconciliation). System.CommandLine's default ends the process 2 s after the
                // signal, cutting that short; this is the hard cap instead (Kubernetes grace periods are shorter).
                ProcessTerminationTimeout = ShutdownTimeout,
            });
        }
        catch (Exception e) when (e is ArgumentException or OptionsValidationException or FormatException)
        {
            await error.WriteLineAsync($"meserp: configuration error: {e.Message}");
            return UsageError;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Last resort for the process: say what failed, without a stack trace for operators (set
            // MESERP_DEBUG=1 to see it), and exit non-zero so supervisors restart us.
            await error.WriteLineAsync($"meserp: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("MESERP_DEBUG") == "1")
            {
                await error.WriteLineAsync(e.ToString());
            }

            return 1;
        }
    }
}
