using Confluent.Kafka;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>
/// How the Streamiz topology reads and writes record values. The topology consumes every topic as bytes and decodes
/// inside its processor, so that a record that cannot be decoded is dead-lettered in the same transaction as the
/// surrounding output instead of stopping the partition. In production these are the schema-registry Avro serdes
/// (Confluent wire format, <c>RegistrySerdes.Codecs</c>); broker-free tests pass plain ones.
/// </summary>
/// <param name="ProductionConfirmation">Reads mes.events.production-confirmations.</param>
/// <param name="ScrapReport">Reads mes.events.scrap-reports.</param>
/// <param name="MaterialConsumption">Reads mes.events.material-consumptions.</param>
/// <param name="QualityHold">Reads mes.events.quality-holds.</param>
/// <param name="WorkOrder">Reads erp.master.work-orders.</param>
/// <param name="Material">Reads erp.master.materials.</param>
/// <param name="Command">Writes erp.posting-commands.</param>
/// <param name="IsTransient">
/// Whether a decode failure is transient (e.g. the schema registry is unreachable): such a record is retried, never
/// dead-lettered. Null: every failure is permanent.
/// </param>
public sealed record PipelineCodecs(
    IAsyncDeserializer<ProductionConfirmation> ProductionConfirmation,
    IAsyncDeserializer<ScrapReport> ScrapReport,
    IAsyncDeserializer<MaterialConsumption> MaterialConsumption,
    IAsyncDeserializer<QualityHold> QualityHold,
    IAsyncDeserializer<WorkOrder> WorkOrder,
    IAsyncDeserializer<Material> Material,
    IAsyncSerializer<ErpPostingCommand> Command,
    Func<Exception, bool>? IsTransient = null);
