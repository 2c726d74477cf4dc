using System.Collections.Concurrent;
using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.SchemaRegistry.Internal;

namespace MesErpStreams.SchemaRegistry.Serdes;

/// <summary>
/// Deserializes Confluent wire format Avro into <typeparamref name="T"/>: the writer schema is fetched from the
/// registry by the id in the payload and resolved to the reader schema <typeparamref name="T"/> is bound to, so
/// producers and consumers upgrade independently. Writer schemas and their compiled resolving readers are cached
/// per id. A null payload (tombstone) deserializes to <c>default</c>.
/// </summary>
/// <typeparam name="T">The bound type.</typeparam>
public sealed class AvroDeserializer<T> : IAsyncDeserializer<T>
{
    private readonly ISchemaRegistryClient registry;
    private readonly Schema readerSchema;
    private readonly long readerFingerprint;
    private readonly AvroCodec<T> codec;
    private readonly ConcurrentDictionary<int, Writer> writers = new();

    /// <summary>Creates a deserializer reading into <paramref name="readerSchema"/>.</summary>
    /// <param name="registry">Registry client (shared).</param>
    /// <param name="readerSchema">The reader schema <typeparamref name="T"/> is bound to.</param>
    /// <exception cref="AvroBindingException"><typeparamref name="T"/> does not fit <paramref name="readerSchema"/>.</exception>
    public AvroDeserializer(ISchemaRegistryClient registry, Schema readerSchema)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(readerSchema);
        this.registry = registry;
        this.readerSchema = readerSchema;
        readerFingerprint = readerSchema.Fingerprint64();
        codec = AvroCodec.For<T>(readerSchema);
    }

    /// <summary>The reader schema.</summary>
    public Schema ReaderSchema => readerSchema;

    /// <inheritdoc />
    public Task<T> DeserializeAsync(ReadOnlyMemory<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return Task.FromResult<T>(default!);
        }

        if (!WireFormat.TryReadHeader(data.Span, out var id))
        {
            throw SerdeErrors.Header(data.Span, context);
        }

        return writers.TryGetValue(id, out var writer)
            ? Task.FromResult(Decode(data.Span, writer, id, context))
            : DeserializeSlowAsync(data, id, context);
    }

    private async Task<T> DeserializeSlowAsync(ReadOnlyMemory<byte> data, int id, SerializationContext context)
    {
        Writer writer;
        try
        {
            var schema = Schema.Parse(await registry.GetSchemaAsync(id));
            writer = new Writer(schema, schema.Fingerprint64() == readerFingerprint);
        }
        catch (SchemaRegistryException e)
        {
            throw SerdeErrors.Registry("deserialize", context, id, null, e);
        }
        catch (AvroException e)
        {
            throw SerdeErrors.Avro("deserialize", context, id, e);
        }

        writer = writers.GetOrAdd(id, writer);
        return Decode(data.Span, writer, id, context);
    }

    private T Decode(ReadOnlySpan<byte> payload, Writer writer, int id, SerializationContext context)
    {
        try
        {
            var body = payload[WireFormat.HeaderLength..];
            // Same canonical form = same binary layout: skip resolution. Otherwise the codec compiles a resolving
            // reader once per writer schema (cached on the writer instance we keep per id).
            return writer.SameAsReader ? codec.Decode(body) : codec.Decode(body, writer.Schema);
        }
        catch (AvroException e)
        {
            throw SerdeErrors.Avro("deserialize", context, id, e);
        }
    }

    /// <summary>A writer schema fetched by id, and whether it is the reader schema itself.</summary>
    private sealed record Writer(Schema Schema, bool SameAsReader);
}
