using System.Collections.Concurrent;
using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.SchemaRegistry.Internal;

namespace MesErpStreams.SchemaRegistry.Serdes;

/// <summary>
/// Serializes <typeparamref name="T"/> as Avro in the Confluent wire format with the compiled codec of
/// <see cref="AvroCodec"/>. The schema id is resolved once per subject (lookup, or registration when
/// <see cref="AvroSerializerConfig.AutoRegisterSchemas"/>) and cached; after that a record costs its output array.
/// A null value serializes to null (a tombstone).
/// </summary>
/// <typeparam name="T">The bound type.</typeparam>
public sealed class AvroSerializer<T> : IAsyncSerializer<T>
{
    private readonly ISchemaRegistryClient registry;
    private readonly AvroSerializerConfig config;
    private readonly Schema schema;
    private readonly string schemaJson;
    private readonly AvroCodec<T> codec;
    private readonly string? recordName;
    private readonly ConcurrentDictionary<(string Topic, MessageComponentType Component), Target> targets = new();

    /// <summary>Creates a serializer for <paramref name="schema"/>.</summary>
    /// <param name="registry">Registry client (shared).</param>
    /// <param name="schema">The writer schema <typeparamref name="T"/> is bound to (e.g. <c>ProductionConfirmation.Schema</c>).</param>
    /// <param name="config">Settings; defaults when null.</param>
    /// <exception cref="AvroBindingException"><typeparamref name="T"/> does not fit <paramref name="schema"/>.</exception>
    public AvroSerializer(ISchemaRegistryClient registry, Schema schema, AvroSerializerConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(schema);
        this.registry = registry;
        this.schema = schema;
        this.config = config ?? new AvroSerializerConfig();
        schemaJson = schema.ToJson();
        codec = AvroCodec.For<T>(schema);
        recordName = (schema as NamedSchema)?.FullName;
    }

    /// <summary>The schema this serializer was created with.</summary>
    public Schema Schema => schema;

    /// <inheritdoc />
    public Task<byte[]> SerializeAsync(T data, SerializationContext context)
    {
        if (data is null)
        {
            return Task.FromResult<byte[]>(null!);
        }

        return targets.TryGetValue((context.Topic, context.Component), out var target)
            ? Task.FromResult(Encode(target, data, context))
            : SerializeSlowAsync(data, context);
    }

    private async Task<byte[]> SerializeSlowAsync(T data, SerializationContext context)
    {
        var target = await ResolveAsync(context);
        targets.TryAdd((context.Topic, context.Component), target);
        return Encode(target, data, context);
    }

    private static byte[] Encode(Target target, T data, SerializationContext context)
    {
        var buffer = OutputBuffer.Rent();
        try
        {
            WireFormat.WriteHeader(buffer, target.Id);
            target.Codec.Encode(data, buffer);
        }
        catch (AvroException e)
        {
            throw SerdeErrors.Avro("serialize", context, target.Id, e);
        }

        return OutputBuffer.ToArrayAndReturn(buffer);
    }

    private async Task<Target> ResolveAsync(SerializationContext context)
    {
        var subject = SubjectNames.Get(config.SubjectNameStrategy, context.Topic, context.Component == MessageComponentType.Key, recordName);
        int? id = null;
        try
        {
            if (config.UseLatestVersion)
            {
                var latest = await registry.GetLatestSchemaAsync(subject);
                id = latest.Id;
                return new Target(latest.Id, AvroCodec.For<T>(Schema.Parse(latest.SchemaString)));
            }

            id = config.AutoRegisterSchemas
                ? await registry.RegisterSchemaAsync(subject, schemaJson)
                : (await registry.LookupSchemaAsync(subject, schemaJson)).Id;
            return new Target(id.Value, codec);
        }
        catch (SchemaRegistryException e)
        {
            throw SerdeErrors.Registry("serialize", context, id, subject, e);
        }
        catch (AvroException e)
        {
            throw SerdeErrors.Avro("serialize", context, id, e);
        }
    }

    /// <summary>Schema id and codec for one (topic, component).</summary>
    private sealed record Target(int Id, AvroCodec<T> Codec);
}
