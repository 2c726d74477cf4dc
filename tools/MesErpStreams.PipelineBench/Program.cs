using System.CommandLine;
using MesErpStreams.PipelineBench;

// meserp-bench-pipeline [--seconds 60] [--rates 500,2000,5000] [--erp-latencies 0,50] [--max-rate 12000] [--multi-rate 2000] ...
// Exit 0: every run completed and reconciled (nothing lost or doubled); 1: a run failed or lost/doubled a posting; 2: bad flags.
var parse = BenchCommand.Create().Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var e in parse.Errors)
    {
        await Console.Error.WriteLineAsync("meserp-bench-pipeline: " + e.Message);
    }

    await Console.Error.WriteLineAsync("Run 'meserp-bench-pipeline --help' for usage.");
    return 2;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("meserp-bench-pipeline: " + e.Message);
    return 2;
}
catch (OperationCanceledException)
{
    await Console.Error.WriteLineAsync("meserp-bench-pipeline: interrupted");
    return 130;
}
