using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.SchemaRegistry.Serdes;

namespace MesErpStreams.SchemaRegistry.Internal;

/// <summary>Builds <see cref="AvroSerdeException"/>s with uniform, specific messages.</summary>
internal static class SerdeErrors
{
    public static string What(SerializationContext context) =>
        $"{(context.Component == MessageComponentType.Key ? "key" : "value")} of topic '{context.Topic}'";

    public static AvroSerdeException Header(ReadOnlySpan<byte> payload, SerializationContext context)
    {
        var cause = payload.Length < WireFormat.HeaderLength
            ? $"truncated payload: {payload.Length} bytes, the Confluent wire format needs at least {WireFormat.HeaderLength} (magic byte + schema id)"
            : $"unknown magic byte 0x{payload[0]:X2} (expected 0x00: not Confluent wire format)";
        return new AvroSerdeException($"Cannot deserialize {What(context)}: {cause}", context.Topic, context.Component, null);
    }

    public static AvroSerdeException Registry(string action, SerializationContext context, int? id, string? subject, SchemaRegistryException e)
    {
        var cause = e.ErrorCode switch
        {
            SchemaRegistryException.SchemaNotFound when id is not null => $"unknown schema id {id} (the registry has no such schema)",
            SchemaRegistryException.SchemaNotFound or SchemaRegistryException.SubjectNotFound =>
                $"schema not registered under subject '{subject}' (auto-registration is off; register it with 'meserp schemas register')",
            SchemaRegistryException.IncompatibleSchema => $"schema incompatible with subject '{subject}': {e.Message}",
            _ => e.Message,
        };
        return new AvroSerdeException($"Cannot {action} {What(context)}{IdText(id)}: {cause}", context.Topic, context.Component, id, e);
    }

    public static AvroSerdeException Avro(string action, SerializationContext context, int? id, AvroException e)
    {
        var cause = e switch
        {
            AvroDecodeException => "truncated or corrupt Avro payload: " + e.Message,
            AvroResolutionException or AvroBindingException => "incompatible schemas: " + e.Message,
            AvroSchemaParseException => "invalid writer schema: " + e.Message,
            _ => e.Message,
        };
        return new AvroSerdeException($"Cannot {action} {What(context)}{IdText(id)}: {cause}", context.Topic, context.Component, id, e);
    }

    private static string IdText(int? id) => id is { } i ? $" (schema id {i})" : "";
}
