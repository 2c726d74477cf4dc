using Confluent.Kafka;
using MesErpStreams.Pipeline.Domain;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>Decodes an event record's bytes by its topic into a <see cref="MesEvent"/>.</summary>
internal sealed class EventDecoder(PipelineCodecs codecs)
{
    /// <exception cref="InvalidDataException">The record has no value (a tombstone on an event topic) or comes from an unknown topic.</exception>
    /// <exception cref="Exception">Whatever the codec throws for bytes it cannot decode.</exception>
    public MesEvent Decode(string topic, byte[]? value, Headers? headers)
    {
        if (value is null)
        {
            throw new InvalidDataException("event record has no value (tombstone on an event topic)");
        }

        var context = new SerializationContext(MessageComponentType.Value, topic, headers);
        return topic switch
        {
            T.ProductionConfirmations => MesEvent.From(RegistryCall.Result(codecs.ProductionConfirmation.DeserializeAsync(value, false, context))),
            T.ScrapReports => MesEvent.From(RegistryCall.Result(codecs.ScrapReport.DeserializeAsync(value, false, context))),
            T.MaterialConsumptions => MesEvent.From(RegistryCall.Result(codecs.MaterialConsumption.DeserializeAsync(value, false, context))),
            T.QualityHolds => MesEvent.From(RegistryCall.Result(codecs.QualityHold.DeserializeAsync(value, false, context))),
            _ => throw new InvalidDataException($"no decoder for topic {topic}"),
        };
    }
}
