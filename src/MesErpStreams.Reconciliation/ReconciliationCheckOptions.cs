using MesErpStreams.Kafka.Configuration;
using MesErpStreams.SchemaRegistry;

namespace MesErpStreams.Reconciliation;

/// <summary>Inputs of a programmatic reconciliation (<see cref="ReconciliationCheck"/>): the whole retained history, all plants.</summary>
public sealed class ReconciliationCheckOptions
{
    /// <summary>Kafka connection (validated by the caller).</summary>
    public required KafkaClientOptions Kafka { get; init; }

    /// <summary>Schema registry connection.</summary>
    public required SchemaRegistryClientOptions Registry { get; init; }

    /// <summary>Base URL of the ERP ledger API (the ERP simulator's <c>/api/erp/v1/ledger</c>).</summary>
    public required Uri ErpUrl { get; init; }

    /// <summary>ERP bearer token, if the API needs one. Default none.</summary>
    public string? ErpBearerToken { get; init; }

    /// <summary>Events published less than this long ago count as in flight. Default zero (a drained pipeline).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.Zero;

    /// <summary>Timeout of Kafka metadata requests and ERP calls. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
