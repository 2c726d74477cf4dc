using MesErpStreams.Kafka.Configuration;
using MesErpStreams.Observability;
using MesErpStreams.SchemaRegistry;

namespace MesErpStreams.Cli.Run;

/// <summary>Validated settings of one <c>meserp run</c>.</summary>
internal sealed class RunSettings
{
    /// <summary>A real cluster, or null for the embedded one.</summary>
    public KafkaClientOptions? Kafka { get; init; }

    /// <summary>A real registry, or null for the embedded one.</summary>
    public SchemaRegistryClientOptions? Registry { get; init; }

    public TimeSpan? Duration { get; init; }

    public FileInfo? SummaryJson { get; init; }

    public double Rate { get; init; }

    public int Seed { get; init; }

    public double DuplicateRate { get; init; }

    public double InvalidRate { get; init; }

    public double LateMasterDataRate { get; init; }

    /// <summary>Plants of the MES simulator (<see cref="MesErpStreams.Edge.Simulation.MesSimulatorOptions.Plants"/>).</summary>
    public int Plants { get; init; }

    /// <summary>Work orders in progress per plant (<see cref="MesErpStreams.Edge.Simulation.MesSimulatorOptions.ActiveOrdersPerPlant"/>).</summary>
    public int ActiveOrdersPerPlant { get; init; }

    /// <summary>Latency the embedded ERP simulator adds to every posting (<see cref="MesErpStreams.ErpSimulator.FaultOptions.LatencyMs"/>).</summary>
    public int ErpLatencyMs { get; init; }

    public DirectoryInfo? DataDir { get; init; }

    public int Brokers { get; init; }

    public int ErpPort { get; init; }

    public int RegistryPort { get; init; }

    public TimeSpan SummaryInterval { get; init; }

    /// <summary>Longest drain after the simulator stops (<see cref="RunBudget.DefaultMaxDrain"/> unless set).</summary>
    public TimeSpan MaxDrain { get; init; }

    /// <summary>The /metrics and /health endpoint, or null for none.</summary>
    public MetricsEndpointOptions? Metrics { get; init; }
}
