using System.Globalization;
using System.Text;

namespace MesErpStreams.Chaos;

/// <summary>Fault kinds, grouped by class (the first word).</summary>
internal enum FaultKind
{
    KafkaBrokerDown,
    KafkaLeadersMoved,
    KafkaProduceErrors,
    KafkaCommitErrors,
    ProcessorRestartStorm,
    ProcessorKillMidTransaction,
    ProcessorKillBetweenTransactions,
    ProcessorTerminate,
    SinkKill,
    SinkTerminate,
    EdgeKillWhileKafkaDown,
    ErpOutage,
    ErpLongOutageAtLowRate,
    ErpErrorBurst,
    ErpThrottleStorm,
    ErpSlowAnswers,
    RegistryDown,
    BadRecordsOnTopics,
    BadLinesAtEdge,
}

/// <summary>One scheduled fault: when (from the start of the feed), what, against which instance, for how long.</summary>
internal sealed record FaultStep(TimeSpan At, FaultKind Kind, int Target, TimeSpan Duration)
{
    public string Class => Kind.ToString() switch
    {
        var k when k.StartsWith("Kafka", StringComparison.Ordinal) => "kafka",
        var k when k.StartsWith("Erp", StringComparison.Ordinal) => "erp",
        var k when k.StartsWith("Registry", StringComparison.Ordinal) => "registry",
        var k when k.StartsWith("Bad", StringComparison.Ordinal) => "bad-input",
        _ => "process",
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"t+{At.TotalSeconds,6:0.0}s  {Class,-9} {Kind,-32} target {Target}  for {Duration.TotalSeconds:0.#} s");
}

/// <summary>The seeded fault schedule of a run.</summary>
internal static class FaultSchedule
{
    /// <summary>The broker made group and transaction coordinator at start (so "the coordinator goes down" is a fact, not luck).</summary>
    public const int CoordinatorBroker = 1;

    public const int Brokers = 3;

    /// <summary>Length of the long ERP outage: twice the sink's retry tiers (<see cref="ChaosPlatform.SinkRetryDelays"/>, 42 s) and more.</summary>
    public const double LongOutageSeconds = 90;

    /// <summary>One event line every this long during the long ERP outage.</summary>
    public static readonly TimeSpan LowRateInterval = TimeSpan.FromSeconds(3);

    public static IReadOnlyList<FaultStep> Build(ChaosOptions options)
    {
        var random = new Random(options.Seed ^ 0x5eed);
        var d = options.FeedDuration.TotalSeconds;
        var steps = new List<FaultStep>();

        // Position p (fraction of the feed) with a seeded jitter of ±3 % of the feed.
        TimeSpan At(double p) => TimeSpan.FromSeconds(Math.Round(Math.Clamp(p + ((random.NextDouble() - 0.5) * 0.06), 0.05, 0.92) * d, 1));
        void Add(double p, FaultKind kind, int target, double seconds) => steps.Add(new FaultStep(At(p), kind, target, TimeSpan.FromSeconds(seconds)));

        if (options.Profile == "short")
        {
            // One fault of each class, a few together.
            Add(0.12, FaultKind.KafkaBrokerDown, CoordinatorBroker, 6);
            // Produce errors inside the broker outage, while master data and events flow: the combination that lost a
            // work order acknowledged to its producer (issue 25, seed 2030360, fixed in the embedded cluster).
            Add(0.18, FaultKind.KafkaProduceErrors, 0, 0);
            Add(0.22, FaultKind.KafkaCommitErrors, 0, 0);
            Add(0.25, FaultKind.BadRecordsOnTopics, 0, 0);
            Add(0.30, FaultKind.ProcessorKillMidTransaction, random.Next(2), 2);
            Add(0.40, FaultKind.ErpOutage, 0, options.ErpOutage.TotalSeconds);
            Add(0.45, FaultKind.SinkKill, random.Next(2), 2);
            Add(0.55, FaultKind.RegistryDown, 0, 8);
            Add(0.60, FaultKind.BadLinesAtEdge, 0, 0);
        }
        else
        {
            Add(0.08, FaultKind.BadRecordsOnTopics, 0, 0);
            Add(0.12, FaultKind.KafkaBrokerDown, CoordinatorBroker, 15);
            Add(0.16, FaultKind.KafkaProduceErrors, 0, 0);
            Add(0.20, FaultKind.ErpOutage, 0, options.ErpOutage.TotalSeconds);
            Add(0.24, FaultKind.KafkaLeadersMoved, 0, 0);
            Add(0.28, FaultKind.ProcessorRestartStorm, random.Next(2), 6);
            Add(0.30, FaultKind.BadLinesAtEdge, random.Next(options.Plants), 0);
            Add(0.34, FaultKind.SinkKill, random.Next(2), 3);
            Add(0.40, FaultKind.RegistryDown, 0, 20);
            Add(0.44, FaultKind.KafkaCommitErrors, 0, 0);
            Add(0.46, FaultKind.ProcessorKillMidTransaction, random.Next(2), 3);
            Add(0.50, FaultKind.ErpErrorBurst, 0, 10);
            Add(0.52, FaultKind.BadRecordsOnTopics, 0, 0);
            Add(0.55, FaultKind.SinkTerminate, random.Next(2), 3);
            Add(0.58, FaultKind.KafkaBrokerDown, 2 + random.Next(Brokers - 1), 10);
            Add(0.60, FaultKind.ErpThrottleStorm, 0, 15);
            Add(0.63, FaultKind.KafkaLeadersMoved, 0, 0);
            Add(0.66, FaultKind.ProcessorTerminate, random.Next(2), 3);
            Add(0.70, FaultKind.ErpSlowAnswers, 0, 0);
            Add(0.72, FaultKind.BadLinesAtEdge, random.Next(options.Plants), 0);
            Add(0.74, FaultKind.KafkaCommitErrors, 0, 0);
            Add(0.76, FaultKind.ProcessorKillBetweenTransactions, random.Next(2), 3);
            Add(0.84, FaultKind.EdgeKillWhileKafkaDown, random.Next(options.Plants), 12);
            Add(0.90, FaultKind.BadRecordsOnTopics, 0, 0);
            // An ERP maintenance window far longer than the sink's retry tiers (2 s + 10 s + 30 s) while the plants
            // are quiet (issue 26: a quiet plant's postings walked their tiers into the dead-letter topic).
            Add(0.92, FaultKind.ErpLongOutageAtLowRate, 0, LongOutageSeconds);
        }

        return [.. steps.OrderBy(s => s.At)];
    }

    public static string Print(IReadOnlyList<FaultStep> steps)
    {
        var sb = new StringBuilder();
        foreach (var s in steps)
        {
            sb.AppendLine("  " + s);
        }

        return sb.ToString();
    }
}
