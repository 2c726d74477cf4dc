using System.Globalization;

namespace MesErpStreams.Chaos;

/// <summary>What one chaos run does. <see cref="Full"/> is <c>make chaos</c>; <see cref="Short"/> runs in <c>make test</c>.</summary>
internal sealed class ChaosOptions
{
    /// <summary>Seeds the MES simulator, the fault schedule and the bad input; printed so a run can be repeated.</summary>
    public int Seed { get; set; }

    /// <summary>"full" or "short".</summary>
    public string Profile { get; set; } = "full";

    public int Plants { get; set; } = 3;

    /// <summary>MES event lines fed to the edges (duplicates and invalid events included).</summary>
    public long Events { get; set; } = 50_000;

    /// <summary>Event lines per second over all plants.</summary>
    public double Rate { get; set; } = 250;

    /// <summary>Length of the full ERP outage.</summary>
    public TimeSpan ErpOutage { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the pipeline may take, after the feed ends, to post everything.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>Working directory (logs, ledgers, outboxes, state); a new temporary one when null.</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>Where the figures go as JSON (default: chaos-figures.json in the working directory).</summary>
    public string? JsonPath { get; set; }

    /// <summary>Keep the working directory after a passing run (it is always kept after a failing one).</summary>
    public bool Keep { get; set; }

    /// <summary>Path of the meserp executable (default: next to this program).</summary>
    public string Meserp { get; set; } = Path.Combine(AppContext.BaseDirectory, "meserp");

    public TimeSpan FeedDuration => TimeSpan.FromSeconds(Events / Rate);

    public static ChaosOptions Full(int seed) => new() { Seed = seed };

    /// <summary>One plant, a few thousand events, one fault of each class; under three minutes.</summary>
    public static ChaosOptions Short(int seed) => new()
    {
        Seed = seed, Profile = "short", Plants = 1, Events = 4_000, Rate = 80, ErpOutage = TimeSpan.FromSeconds(8), DrainTimeout = TimeSpan.FromSeconds(100),
    };

    /// <summary>Problems, each naming the flag; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Plants is < 1 or > 9)
        {
            errors.Add("--plants: must be 1-9");
        }

        if (Events < 500)
        {
            errors.Add("--events: must be at least 500");
        }

        if (Rate is < 10 or > 5_000)
        {
            errors.Add("--rate: must be 10-5000 events/s");
        }

        if (FeedDuration < TimeSpan.FromSeconds(20))
        {
            errors.Add($"--events/--rate: the feed must last at least 20 s to hold the fault schedule (it is {FeedDuration.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)");
        }

        if (!File.Exists(Meserp))
        {
            errors.Add($"meserp executable not found at {Meserp}");
        }

        return errors;
    }
}
