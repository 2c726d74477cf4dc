using MesErpStreams.Kafka.Configuration;

namespace MesErpStreams.Replay;

/// <summary>What to replay and how.</summary>
public sealed class ReplayOptions
{
    /// <summary>Kafka connection. Required.</summary>
    public KafkaClientOptions Kafka { get; set; } = new();

    /// <summary>Topic to read (a dead-letter topic, or any source topic). Required.</summary>
    public string SourceTopic { get; set; } = string.Empty;

    /// <summary>Topic to write to. Null: each record's own origin header (<see cref="ReplayHeaders.SourceTopic"/>, else
    /// <see cref="ReplayHeaders.OriginalTopic"/>); a record without one is skipped and counted.</summary>
    public string? TargetTopic { get; set; }

    /// <summary>Only records whose <see cref="ReplayHeaders.Reason"/> is one of these (empty: any).</summary>
    public IReadOnlyList<string> Reasons { get; set; } = [];

    /// <summary>Only records whose <see cref="ReplayHeaders.FailureClass"/> is one of these (empty: any).</summary>
    public IReadOnlyList<string> FailureClasses { get; set; } = [];

    /// <summary>Only records with one of these keys (empty: any).</summary>
    public IReadOnlyList<string> Keys { get; set; } = [];

    /// <summary>Only records with a timestamp at or after this (null: from the start of each partition).</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only records with a timestamp before this (null: up to the end of each partition when replay started).</summary>
    public DateTimeOffset? Until { get; set; }

    /// <summary>First offset per partition (inclusive); overrides <see cref="Since"/> for the partitions it names.</summary>
    public IReadOnlyDictionary<int, long> StartOffsets { get; set; } = new Dictionary<int, long>();

    /// <summary>End offset per partition (exclusive); overrides the end for the partitions it names.</summary>
    public IReadOnlyDictionary<int, long> EndOffsets { get; set; } = new Dictionary<int, long>();

    /// <summary>Most records per second written (0: unlimited). Default 0.</summary>
    public double RecordsPerSecond { get; set; }

    /// <summary>Stop after this many replayed records (null: no limit).</summary>
    public long? MaxRecords { get; set; }

    /// <summary>Read and report, write nothing. Default false.</summary>
    public bool DryRun { get; set; }

    /// <summary>Validates the settings.</summary>
    /// <returns>Problems, each naming its option; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(SourceTopic))
        {
            errors.Add("--from: a topic is required");
        }

        if (TargetTopic is not null && string.Equals(TargetTopic, SourceTopic, StringComparison.Ordinal))
        {
            errors.Add("--to: must differ from --from (replaying a topic into itself never ends)");
        }

        if (Since is { } s && Until is { } u && u <= s)
        {
            errors.Add("--until: must be after --since");
        }

        if (RecordsPerSecond < 0 || double.IsNaN(RecordsPerSecond) || double.IsInfinity(RecordsPerSecond))
        {
            errors.Add("--rate: must be 0 (unlimited) or a positive number of records per second");
        }

        if (MaxRecords is < 1)
        {
            errors.Add("--max-records: must be positive");
        }

        foreach (var (p, end) in EndOffsets)
        {
            if (StartOffsets.TryGetValue(p, out var start) && end <= start)
            {
                errors.Add($"--end-offset: partition {p} ends at {end}, not after its start {start}");
            }
        }

        return errors;
    }
}
