using System.CommandLine;
using MesErpStreams.Hosting;
using System.Globalization;

namespace MesErpStreams.PipelineBench;

/// <summary>The command line of <c>meserp-bench-pipeline</c>.</summary>
internal static class BenchCommand
{
    public static RootCommand Create()
    {
        var seconds = CommonOptions.WholeNumber("--seconds", "Offered load per point, in seconds (5-3600).", 60, 5, 3600);
        var rates = List("--rates", "Rates of the single-process points, events/s, comma-separated.", "500,2000,5000", v => v > 0, "a positive number");
        var latencies = List("--erp-latencies", "ERP simulator latencies of the single-process points, ms, comma-separated.", "0,50",
            v => v is >= 0 and <= 60_000 && v == Math.Floor(v), "a whole number of ms, 0-60000");
        var maxRate = CommonOptions.Number("--max-rate",
            "Search for the highest rate sustained with the ERP at 0 ms: step up from the highest --rates value by 1.5x up to this rate (0 = no search).", 12_000,
            v => v >= 0 && double.IsFinite(v), "0 (no search) or a positive number of events/s");
        var multiRate = CommonOptions.Number("--multi-rate", "Rate of the point with two processors and two sinks as separate processes (0 = skip it).", 2_000,
            v => v >= 0 && double.IsFinite(v), "0 (skip) or a positive number of events/s");
        var maxDrain = CommonOptions.WholeNumber("--max-drain",
            "Longest drain after the offer per point, in seconds (10-3600): a point that fell behind stops draining then, and its missing postings are " +
            "reported as not drained, not as lost. Raise it to reconcile every point completely.", 60, 10, 3600);
        var plants = CommonOptions.WholeNumber("--plants", "Plants of the MES simulator (1-9).", 6, 1, 9);
        var orders = CommonOptions.WholeNumber("--active-orders", "Work orders in progress per plant (1-1000).", 50, 1, 1000);
        var seed = new Option<int>("--seed") { Description = "Simulator seed of every point.", DefaultValueFactory = _ => 42 };
        var json = new Option<FileInfo>("--json") { Description = "Where the rows go as JSON.", DefaultValueFactory = _ => new FileInfo(Path.Combine("artifacts", "bench-pipeline.json")) };
        var meserp = new Option<FileInfo?>("--meserp") { Description = "The meserp executable (default: src/MesErpStreams.Cli/bin/Release/net10.0/meserp under the current directory, else the one next to this program)." };
        var work = new Option<DirectoryInfo?>("--work-dir") { Description = "Logs and run summaries (default: a new directory under the system's temp directory, printed)." };
        var keep = new Option<bool>("--keep") { Description = "Keep the multi-process point's ledger and state stores after a passing run." };
        var root = new RootCommand("The pipeline benchmark: offered MES load at several rates through the whole pipeline (one `meserp run` process per point, the ERP simulator at 0 and 50 ms), a search for the highest rate sustained with the ERP at 0 ms, and one point with two processors and two sinks as separate processes. Prints one row per point and writes them as JSON. Fails only when a run fails or reconciliation finds a lost or doubled posting.")
        {
            seconds, rates, latencies, maxRate, multiRate, maxDrain, plants, orders, seed, json, meserp, work, keep,
        };
        root.SetAction(async (parse, ct) =>
        {
            var exe = parse.GetValue(meserp)?.FullName ?? DefaultMeserp();
            if (!File.Exists(exe))
            {
                throw new ArgumentException($"--meserp: no executable at {exe} (run `make build` first)");
            }

            var options = new BenchOptions
            {
                Meserp = exe,
                Offer = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                Rates = parse.GetValue(rates)!,
                ErpLatencies = [.. parse.GetValue(latencies)!.Select(v => (int)v)],
                MaxRate = parse.GetValue(maxRate),
                MultiRate = parse.GetValue(multiRate),
                MaxDrain = TimeSpan.FromSeconds(parse.GetValue(maxDrain)),
                Plants = parse.GetValue(plants),
                ActiveOrders = parse.GetValue(orders),
                Seed = parse.GetValue(seed),
                JsonPath = parse.GetValue(json)!.FullName,
                WorkDirectory = parse.GetValue(work)?.FullName
                                ?? Path.Combine(Path.GetTempPath(), $"meserp-bench-pipeline-{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}"),
                Keep = parse.GetValue(keep),
            };
            return await new BenchDriver(options, Console.Out).RunAsync(ct);
        });
        return root;
    }

    private static string DefaultMeserp()
    {
        var built = Path.GetFullPath(Path.Combine("src", "MesErpStreams.Cli", "bin", "Release", "net10.0", "meserp"));
        return File.Exists(built) ? built : Path.Combine(AppContext.BaseDirectory, "meserp");
    }

    private static Option<IReadOnlyList<double>> List(string name, string description, string defaultText, Func<double, bool> valid, string what) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => Parse(defaultText)!,
        CustomParser = r =>
        {
            var text = string.Join(',', r.Tokens.Select(t => t.Value));
            var values = Parse(text);
            if (values is null || values.Count == 0 || !values.All(valid))
            {
                r.AddError($"{name}: '{text}' is not a comma-separated list of values, each {what}.");
                return null;
            }

            return values;
        },
    };

    private static List<double>? Parse(string text)
    {
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                return null;
            }

            values.Add(v);
        }

        return values;
    }
}
