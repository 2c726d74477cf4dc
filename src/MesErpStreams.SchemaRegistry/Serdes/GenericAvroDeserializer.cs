using System.Collections.Concurrent;
using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.SchemaRegistry.Internal;

namespace MesErpStreams.SchemaRegistry.Serdes;

/// <summary>
/// Deserializes Confluent wire format Avro into a <see cref="GenericRecord"/> of the writer's own schema
/// (fetched by id, cached), or of a fixed reader schema when one is given.
/// </summary>
public sealed class GenericAvroDeserializer : IAsyncDeserializer<GenericRecord>
{
    private readonly ISchemaRegistryClient registry;
    private readonly Schema? readerSchema;
    private readonly ConcurrentDictionary<int, Schema> writers = new();

    /// <summary>Creates the deserializer.</summary>
    /// <param name="registry">Registry client.</param>
    /// <param name="readerSchema">Reader schema to resolve to; null to read with each message's writer schema.</param>
    public GenericAvroDeserializer(ISchemaRegistryClient registry, Schema? readerSchema = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        this.registry = registry;
        this.readerSchema = readerSchema;
    }

    /// <summary>The schema id of the last message's header, for tools that print it.</summary>
    /// <param name="payload">A message key or value.</param>
    /// <returns>The id, or null when the payload is not in the Confluent wire format.</returns>
    public static int? ReadSchemaId(ReadOnlySpan<byte> payload) => WireFormat.TryReadHeader(payload, out var id) ? id : null;

    /// <inheritdoc />
    public async Task<GenericRecord> DeserializeAsync(ReadOnlyMemory<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return null!;
        }

        if (!WireFormat.TryReadHeader(data.Span, out var id))
        {
            throw SerdeErrors.Header(data.Span, context);
        }

        try
        {
            if (!writers.TryGetValue(id, out var writer))
            {
                writer = writers.GetOrAdd(id, Schema.Parse(await registry.GetSchemaAsync(id)));
            }

            var value = GenericDatum.Decode(writer, readerSchema ?? writer, data.Span[WireFormat.HeaderLength..]);
            return value as GenericRecord
                ?? throw new AvroSerdeException($"Cannot deserialize {SerdeErrors.What(context)} (schema id {id}): the schema is not a record", context.Topic, context.Component, id);
        }
        catch (SchemaRegistryException e)
        {
            throw SerdeErrors.Registry("deserialize", context, id, null, e);
        }
        catch (AvroException e)
        {
            throw SerdeErrors.Avro("deserialize", context, id, e);
        }
    }
}
