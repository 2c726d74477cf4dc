using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;

namespace MesErpStreams.Pipeline.Hosting;

/// <summary>The pipeline's serdes on a schema registry: Avro in the Confluent wire format.</summary>
public static class RegistrySerdes
{
    /// <summary>The Streamiz topology's codecs: registry Avro, with registry outages as transient failures.</summary>
    public static Engine.PipelineCodecs Codecs(ISchemaRegistryClient registry, AvroSerializerConfig config) => new(
        new AvroDeserializer<ProductionConfirmation>(registry, ProductionConfirmation.Schema),
        new AvroDeserializer<ScrapReport>(registry, ScrapReport.Schema),
        new AvroDeserializer<MaterialConsumption>(registry, MaterialConsumption.Schema),
        new AvroDeserializer<QualityHold>(registry, QualityHold.Schema),
        new AvroDeserializer<WorkOrder>(registry, WorkOrder.Schema),
        new AvroDeserializer<Material>(registry, Material.Schema),
        new AvroSerializer<ErpPostingCommand>(registry, ErpPostingCommand.Schema, config),
        AvroSerdeException.IsTransientFailure);
}
