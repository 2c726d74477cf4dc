using Confluent.Kafka;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;

namespace MesErpStreams.Lineage.Internal;

/// <summary>The few fields of an event lineage shows.</summary>
internal sealed record EventFacts(Guid EventId, string Type, string Plant, DateTimeOffset OccurredAt, TraceContext? Trace);

/// <summary>
/// Decodes values with the registry serdes (Confluent wire format, writer schema resolved to the contract): only for
/// records without lineage headers (the fallback) and for the few records that belong to the traced event.
/// </summary>
internal sealed class LineageDecoder(ISchemaRegistryClient registry)
{
    private readonly AvroDeserializer<ProductionConfirmation> _pc = new(registry, ProductionConfirmation.Schema);
    private readonly AvroDeserializer<ScrapReport> _scrap = new(registry, ScrapReport.Schema);
    private readonly AvroDeserializer<MaterialConsumption> _consumption = new(registry, MaterialConsumption.Schema);
    private readonly AvroDeserializer<QualityHold> _hold = new(registry, QualityHold.Schema);
    private readonly AvroDeserializer<ErpPostingCommand> _command = new(registry, ErpPostingCommand.Schema);
    private readonly AvroDeserializer<PostingResult> _result = new(registry, PostingResult.Schema);

    /// <summary>Decodes an event; its type comes from the topic, else the <c>meserp.event.type</c> header (dead letters).</summary>
    public async Task<EventFacts?> EventAsync(string topic, Headers? headers, byte[]? value)
    {
        if (value is null)
        {
            return null;
        }

        var type = topic switch
        {
            PipelineTopology.Topics.ProductionConfirmations => nameof(ProductionConfirmation),
            PipelineTopology.Topics.ScrapReports => nameof(ScrapReport),
            PipelineTopology.Topics.MaterialConsumptions => nameof(MaterialConsumption),
            PipelineTopology.Topics.QualityHolds => nameof(QualityHold),
            _ => LineageHeaders.Text(headers, PipelineHeaders.EventType),
        };
        var context = new SerializationContext(MessageComponentType.Value, topic, headers);
        return type switch
        {
            nameof(ProductionConfirmation) => await _pc.DeserializeAsync(value, false, context) is var e ? new EventFacts(e.EventId, type, e.Plant, e.OccurredAt, e.Trace) : null,
            nameof(ScrapReport) => await _scrap.DeserializeAsync(value, false, context) is var e ? new EventFacts(e.EventId, type, e.Plant, e.OccurredAt, e.Trace) : null,
            nameof(MaterialConsumption) => await _consumption.DeserializeAsync(value, false, context) is var e ? new EventFacts(e.EventId, type, e.Plant, e.OccurredAt, e.Trace) : null,
            nameof(QualityHold) => await _hold.DeserializeAsync(value, false, context) is var e ? new EventFacts(e.EventId, type, e.Plant, e.OccurredAt, e.Trace) : null,
            _ => null,
        };
    }

    /// <summary>Decodes a posting command (also the bytes of retry and dead-letter records).</summary>
    public async Task<ErpPostingCommand?> CommandAsync(string topic, Headers? headers, byte[]? value) =>
        value is null ? null : await _command.DeserializeAsync(value, false, new SerializationContext(MessageComponentType.Value, topic, headers));

    /// <summary>Decodes a posting result.</summary>
    public async Task<PostingResult?> ResultAsync(string topic, Headers? headers, byte[]? value) =>
        value is null ? null : await _result.DeserializeAsync(value, false, new SerializationContext(MessageComponentType.Value, topic, headers));

    /// <summary>The event ids a record carries in its value (the fallback when it has no <c>meserp.event.id</c> header).</summary>
    public async Task<IReadOnlyList<Guid>> EventIdsAsync(LineageTopic topic, Headers? headers, byte[]? value) => topic.Stage switch
    {
        Stage.Event or Stage.EventDeadLetter => await EventAsync(topic.Name, headers, value) is { } e ? [e.EventId] : [],
        Stage.Command or Stage.Retry or Stage.CommandDeadLetter => (await CommandAsync(topic.Name, headers, value))?.SourceEventIds ?? [],
        Stage.Result => (await ResultAsync(topic.Name, headers, value))?.SourceEventIds ?? [],
        _ => [],
    };
}
