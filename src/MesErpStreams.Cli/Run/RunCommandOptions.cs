using System.CommandLine;
using MesErpStreams.Hosting;
using MesErpStreams.Observability;

namespace MesErpStreams.Cli.Run;

/// <summary>The options of <c>meserp run</c>, and their binding into <see cref="RunSettings"/>.</summary>
internal sealed class RunCommandOptions
{
    public required Option<string?> Bootstrap { get; init; }

    public required Option<string[]> KafkaProperties { get; init; }

    public required Option<FileInfo?> Config { get; init; }

    public required Option<string?> RegistryUrl { get; init; }

    public required Option<TimeSpan?> Duration { get; init; }

    public required Option<FileInfo?> SummaryJson { get; init; }

    public required Option<double> Rate { get; init; }

    public required Option<int> Seed { get; init; }

    public required Option<double> DuplicateRate { get; init; }

    public required Option<double> InvalidRate { get; init; }

    public required Option<double> LateMasterDataRate { get; init; }

    public required Option<int> Plants { get; init; }

    public required Option<int> ActiveOrders { get; init; }

    public required Option<int> ErpLatencyMs { get; init; }

    public required Option<DirectoryInfo?> DataDir { get; init; }

    public required Option<int> Brokers { get; init; }

    public required Option<int> ErpPort { get; init; }

    public required Option<int> RegistryPort { get; init; }

    public required Option<TimeSpan?> SummaryInterval { get; init; }

    public required Option<TimeSpan?> MaxDrain { get; init; }

    /// <summary><c>--metrics-port</c> (default 0: an ephemeral port, printed at start) and <c>--metrics-host</c>.</summary>
    public MetricsCommandOptions Metrics { get; } = new(defaultPort: 0);

    public IEnumerable<Option> All =>
    [
        Bootstrap, KafkaProperties, Config, RegistryUrl, Duration, SummaryJson, Rate, Seed, DuplicateRate, InvalidRate,
        LateMasterDataRate, Plants, ActiveOrders, ErpLatencyMs, DataDir, Brokers, ErpPort, RegistryPort, SummaryInterval, MaxDrain, Metrics.Port, Metrics.Host,
    ];

    public RunSettings Bind(ParseResult parse)
    {
        var configuration = CommonOptions.BuildConfiguration(parse.GetValue(Config));
        var bootstrap = parse.GetValue(Bootstrap);
        var registryUrl = parse.GetValue(RegistryUrl);
        return new RunSettings
        {
            // A real cluster only when asked for; then its settings are validated like every other command's.
            Kafka = string.IsNullOrWhiteSpace(bootstrap) && string.IsNullOrWhiteSpace(configuration["Kafka:BootstrapServers"])
                ? null
                : CommonOptions.Kafka(configuration, bootstrap, parse.GetValue(KafkaProperties)),
            Registry = string.IsNullOrWhiteSpace(registryUrl) && string.IsNullOrWhiteSpace(configuration["SchemaRegistry:Url"])
                ? null
                : RegistryOptions.Bind(configuration, registryUrl),
            Duration = parse.GetValue(Duration),
            SummaryJson = parse.GetValue(SummaryJson),
            Rate = parse.GetValue(Rate),
            Seed = parse.GetValue(Seed),
            DuplicateRate = parse.GetValue(DuplicateRate),
            InvalidRate = parse.GetValue(InvalidRate),
            LateMasterDataRate = parse.GetValue(LateMasterDataRate),
            Plants = parse.GetValue(Plants),
            ActiveOrdersPerPlant = parse.GetValue(ActiveOrders),
            ErpLatencyMs = parse.GetValue(ErpLatencyMs),
            DataDir = parse.GetValue(DataDir),
            Brokers = parse.GetValue(Brokers),
            ErpPort = parse.GetValue(ErpPort),
            RegistryPort = parse.GetValue(RegistryPort),
            SummaryInterval = parse.GetValue(SummaryInterval) ?? TimeSpan.FromSeconds(5),
            MaxDrain = parse.GetValue(MaxDrain) ?? RunBudget.DefaultMaxDrain,
            Metrics = Metrics.Bind(parse),
        };
    }
}
