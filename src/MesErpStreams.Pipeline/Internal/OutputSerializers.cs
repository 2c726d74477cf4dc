using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Streams;

namespace MesErpStreams.Pipeline.Internal;

/// <summary>
/// Value serializers of the processor's two outputs. The processor forwards <c>object</c> values (a command, or the
/// original event for the dead-letter topic); these pick the right typed serializer.
/// </summary>
internal static class OutputSerializers
{
    public static Serde<object> Commands(Serde<ErpPostingCommand> inner) => Serdes.FromAsync<object>(new Typed<ErpPostingCommand>(inner), null);

    /// <summary>
    /// Dead letters are written exactly as a producer would have written them to the event's own topic (same
    /// serializer, same subject, same schema id), so a replay can put the bytes back there unchanged.
    /// </summary>
    public static Serde<object> DeadLetters(PipelineSerdes serdes) => Serdes.FromAsync<object>(new DeadLetterSerializer(serdes), null);

    private static Task<byte[]> SerializeAsync<T>(Serde<T> serde, T value, SerializationContext context) =>
        serde.Serializer is { } s ? Task.FromResult(s.Serialize(value, context)) : serde.AsyncSerializer!.SerializeAsync(value, context);

    private static SerializationContext ForSourceTopic(SerializationContext context)
    {
        var source = context.Headers?.TryGetLastBytes(PipelineHeaders.SourceTopic, out var b) == true ? Encoding.UTF8.GetString(b) : null;
        return source is null ? context : new SerializationContext(context.Component, source, context.Headers);
    }

    private sealed class Typed<T>(Serde<T> inner) : IAsyncSerializer<object>
    {
        public Task<byte[]> SerializeAsync(object data, SerializationContext context) => OutputSerializers.SerializeAsync(inner, (T)data, context);
    }

    private sealed class DeadLetterSerializer(PipelineSerdes serdes) : IAsyncSerializer<object>
    {
        public Task<byte[]> SerializeAsync(object data, SerializationContext context)
        {
            var c = ForSourceTopic(context);
            return data switch
            {
                ProductionConfirmation e => OutputSerializers.SerializeAsync(serdes.ProductionConfirmation, e, c),
                ScrapReport e => OutputSerializers.SerializeAsync(serdes.ScrapReport, e, c),
                MaterialConsumption e => OutputSerializers.SerializeAsync(serdes.MaterialConsumption, e, c),
                QualityHold e => OutputSerializers.SerializeAsync(serdes.QualityHold, e, c),
                _ => throw new ArgumentException($"cannot dead-letter a {data.GetType().Name}", nameof(data)),
            };
        }
    }
}
