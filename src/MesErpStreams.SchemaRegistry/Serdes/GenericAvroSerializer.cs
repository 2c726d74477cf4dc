using System.Collections.Concurrent;
using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.SchemaRegistry.Internal;

namespace MesErpStreams.SchemaRegistry.Serdes;

/// <summary>
/// Serializes <see cref="GenericRecord"/>s (for tools) in the Confluent wire format, with the record's own
/// schema. Schema ids are cached per (topic, component, schema).
/// </summary>
public sealed class GenericAvroSerializer : IAsyncSerializer<GenericRecord>
{
    private readonly ISchemaRegistryClient registry;
    private readonly AvroSerializerConfig config;
    private readonly ConcurrentDictionary<(string Topic, MessageComponentType Component, RecordSchema Schema), int> ids = new();

    /// <summary>Creates the serializer.</summary>
    public GenericAvroSerializer(ISchemaRegistryClient registry, AvroSerializerConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        this.registry = registry;
        this.config = config ?? new AvroSerializerConfig();
    }

    /// <inheritdoc />
    public async Task<byte[]> SerializeAsync(GenericRecord data, SerializationContext context)
    {
        if (data is null)
        {
            return null!;
        }

        var key = (context.Topic, context.Component, data.Schema);
        if (!ids.TryGetValue(key, out var id))
        {
            var subject = SubjectNames.Get(config.SubjectNameStrategy, context.Topic, context.Component == MessageComponentType.Key, data.Schema.FullName);
            try
            {
                id = config.UseLatestVersion
                    ? (await registry.GetLatestSchemaAsync(subject)).Id
                    : config.AutoRegisterSchemas
                        ? await registry.RegisterSchemaAsync(subject, data.Schema.ToJson())
                        : (await registry.LookupSchemaAsync(subject, data.Schema.ToJson())).Id;
            }
            catch (SchemaRegistryException e)
            {
                throw SerdeErrors.Registry("serialize", context, null, subject, e);
            }

            ids.TryAdd(key, id);
        }

        try
        {
            var body = GenericDatum.Encode(data.Schema, data);
            var result = new byte[WireFormat.HeaderLength + body.Length];
            result[0] = WireFormat.MagicByte;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(1), id);
            body.CopyTo(result.AsSpan(WireFormat.HeaderLength));
            return result;
        }
        catch (AvroException e)
        {
            throw SerdeErrors.Avro("serialize", context, id, e);
        }
    }
}
