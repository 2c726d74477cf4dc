using System.Globalization;
using MesErpStreams.Chaos;

// meserp-chaos [--short] [--seed N] [--runs N] [--plants N] [--events N] [--rate N] [--json FILE] [--work-dir DIR] [--keep]
// Exit 0: every run passed; 1: a run found a violation (named above); 2: bad flags.
var args2 = args.ToList();
string? Take(string flag)
{
    var i = args2.IndexOf(flag);
    if (i < 0)
    {
        return null;
    }

    if (i + 1 >= args2.Count)
    {
        throw new ArgumentException($"{flag}: a value is required");
    }

    var v = args2[i + 1];
    args2.RemoveRange(i, 2);
    return v;
}

bool Flag(string flag) => args2.Remove(flag);
int ParseInt(string flag, string text) =>
    int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"{flag}: '{text}' is not an integer");

List<ChaosOptions> runs;
try
{
    var isShort = Flag("--short");
    var keep = Flag("--keep");
    var seed = Take("--seed") is { } s ? ParseInt("--seed", s) : Environment.TickCount & 0x7fffffff;
    var count = Take("--runs") is { } r ? ParseInt("--runs", r) : 1;
    var plants = Take("--plants");
    var events = Take("--events");
    var rate = Take("--rate");
    var json = Take("--json");
    var work = Take("--work-dir");
    if (args2.Count > 0)
    {
        throw new ArgumentException($"unknown argument '{args2[0]}' (flags: --short --seed --runs --plants --events --rate --json --work-dir --keep)");
    }

    if (count is < 1 or > 20)
    {
        throw new ArgumentException("--runs: must be 1-20");
    }

    runs = [.. Enumerable.Range(0, count).Select(i =>
    {
        var o = isShort ? ChaosOptions.Short(seed + i) : ChaosOptions.Full(seed + i);
        o.Plants = plants is null ? o.Plants : ParseInt("--plants", plants);
        o.Events = events is null ? o.Events : ParseInt("--events", events);
        o.Rate = rate is null ? o.Rate : ParseInt("--rate", rate);
        o.JsonPath = json is null ? null : count == 1 ? json : Path.ChangeExtension(json, $".{o.Seed}.json");
        o.WorkDirectory = work is null ? null : Path.Combine(work, o.Seed.ToString(CultureInfo.InvariantCulture));
        o.Keep = keep;
        return o;
    })];
    var errors = runs[0].Validate();
    if (errors.Count > 0)
    {
        throw new ArgumentException(string.Join("; ", errors));
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var failed = 0;
foreach (var o in runs)
{
    var (verdict, _) = await ChaosRun.RunAsync(o, Console.Out, cts.Token);
    failed += verdict.Ok ? 0 : 1;
}

Console.WriteLine(failed == 0 ? $"chaos: {runs.Count} run(s) passed" : $"chaos: {failed} of {runs.Count} run(s) FAILED");
return failed == 0 ? 0 : 1;
