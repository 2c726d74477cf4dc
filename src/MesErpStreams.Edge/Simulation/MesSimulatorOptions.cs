namespace MesErpStreams.Edge.Simulation;

/// <summary>Knobs of the <see cref="MesSimulator"/>. The same options and seed always generate the same records.</summary>
public sealed class MesSimulatorOptions
{
    /// <summary>Random seed; the whole run (ids, quantities, faults) follows from it. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Number of plants (1-9). Default 2.</summary>
    public int Plants { get; set; } = 2;

    /// <summary>Work orders in progress at a time per plant. Default 4.</summary>
    public int ActiveOrdersPerPlant { get; set; } = 4;

    /// <summary>Events per second when publishing; 0 = as fast as possible. Default 50.</summary>
    public double EventsPerSecond { get; set; } = 50;

    /// <summary>Probability that an event is sent a second time later (same event id). Default 0.02.</summary>
    public double DuplicateRate { get; set; } = 0.02;

    /// <summary>Probability that an event is held back and delivered after a few later ones. Default 0.05.</summary>
    public double OutOfOrderRate { get; set; } = 0.05;

    /// <summary>Probability that an event is invalid (non-positive quantity or a bad unit), to be dead-lettered. Default 0.01.</summary>
    public double InvalidRate { get; set; } = 0.01;

    /// <summary>Probability that a work order's master data is published only after its first events. Default 0.1.</summary>
    public double LateMasterDataRate { get; set; } = 0.1;

    /// <summary>Probability that a finished batch is put on quality hold (and released later). Default 0.05.</summary>
    public double HoldRate { get; set; } = 0.05;

    /// <summary>Scrap probability per operation step. Default 0.1.</summary>
    public double ScrapRate { get; set; } = 0.1;

    /// <summary>Stop after this many event records (null: until stopped). Default null.</summary>
    public long? MaxEvents { get; set; }

    /// <summary>occurredAt of the first event; the simulated clock advances 1/<see cref="EventsPerSecond"/> per event
    /// (1 ms when unthrottled). Default: 5 minutes before the simulator is created.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>Source system name stamped on events (suffixed with the plant). Default <c>MES-SIM</c>.</summary>
    public string SourceSystem { get; set; } = "MES-SIM";

    /// <summary>Validates the settings.</summary>
    /// <returns>Problems naming the option; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Plants is < 1 or > 9)
        {
            errors.Add("--plants: must be 1-9");
        }

        if (ActiveOrdersPerPlant is < 1 or > 1000)
        {
            errors.Add("--orders-per-plant: must be 1-1000");
        }

        if (EventsPerSecond < 0 || double.IsNaN(EventsPerSecond) || double.IsInfinity(EventsPerSecond))
        {
            errors.Add("--rate: must be 0 (unthrottled) or a positive number of events per second");
        }

        Rate(errors, "--duplicate-rate", DuplicateRate);
        Rate(errors, "--out-of-order-rate", OutOfOrderRate);
        Rate(errors, "--invalid-rate", InvalidRate);
        Rate(errors, "--late-master-data-rate", LateMasterDataRate);
        Rate(errors, "--hold-rate", HoldRate);
        Rate(errors, "--scrap-rate", ScrapRate);
        if (MaxEvents is < 1)
        {
            errors.Add("--max-events: must be positive");
        }

        return errors;
    }

    private static void Rate(List<string> errors, string name, double value)
    {
        if (value is < 0 or > 1 || double.IsNaN(value))
        {
            errors.Add($"{name}: must be between 0 and 1");
        }
    }
}
