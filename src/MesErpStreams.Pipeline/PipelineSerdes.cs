using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Streams;

namespace MesErpStreams.Pipeline;

/// <summary>
/// Value serdes of the pipeline's topics. In production they are the schema-registry Avro serdes (Confluent wire
/// format); tests may pass other serdes. Keys are UTF-8 strings everywhere.
/// </summary>
/// <param name="ProductionConfirmation">Serde of mes.events.production-confirmations.</param>
/// <param name="ScrapReport">Serde of mes.events.scrap-reports.</param>
/// <param name="MaterialConsumption">Serde of mes.events.material-consumptions.</param>
/// <param name="QualityHold">Serde of mes.events.quality-holds.</param>
/// <param name="WorkOrder">Serde of erp.master.work-orders.</param>
/// <param name="Material">Serde of erp.master.materials.</param>
/// <param name="Command">Serde of erp.posting-commands.</param>
public sealed record PipelineSerdes(
    Serde<ProductionConfirmation> ProductionConfirmation,
    Serde<ScrapReport> ScrapReport,
    Serde<MaterialConsumption> MaterialConsumption,
    Serde<QualityHold> QualityHold,
    Serde<WorkOrder> WorkOrder,
    Serde<Material> Material,
    Serde<ErpPostingCommand> Command);
