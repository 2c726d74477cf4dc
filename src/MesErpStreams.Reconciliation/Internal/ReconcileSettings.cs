using MesErpStreams.Kafka.Configuration;
using MesErpStreams.Observability;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.SchemaRegistry;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Validated settings of one <c>meserp reconcile</c> invocation.</summary>
internal sealed record ReconcileSettings
{
    public required KafkaClientOptions Kafka { get; init; }

    public required SchemaRegistryClientOptions Registry { get; init; }

    public required Uri ErpUrl { get; init; }

    /// <summary>ERP bearer token (from the environment or configuration only; never logged).</summary>
    public string? ErpBearerToken { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? Plant { get; init; }

    public string? WorkOrder { get; init; }

    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan Lookback { get; init; } = TimeSpan.FromDays(1);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public MappingOptions Mapping { get; init; } = new();

    public bool Json { get; init; }

    public bool AllRows { get; init; }

    public FileInfo? ReportFile { get; init; }

    public MetricsEndpointOptions? Metrics { get; init; }

    /// <summary>Repeat every interval until stopped (null: once).</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>The scope of a run starting at <paramref name="now"/>: events published within the settle time are in flight.</summary>
    public ReconcileScope ScopeAt(DateTimeOffset now) => new()
    {
        From = From, To = To, Plant = Plant, WorkOrder = WorkOrder, SettledBefore = now - Settle,
    };
}
