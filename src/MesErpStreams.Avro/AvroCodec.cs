using System.Collections.Concurrent;
using MesErpStreams.Avro.Internal.Codec;

namespace MesErpStreams.Avro;

/// <summary>Entry point of the typed, compiled binding between .NET types and Avro schemas.</summary>
public static class AvroCodec
{
    private static readonly ConcurrentDictionary<(Type Type, string Schema), object> Cache = new();

    /// <summary>
    /// The codec binding <typeparamref name="T"/> to <paramref name="schema"/>, built (and compiled) on first use and cached
    /// per type and schema. Binding rules: field <c>fooBar</c> binds property <c>FooBar</c> (or <see cref="AvroFieldAttribute"/>);
    /// instances are created through the constructor whose parameters match fields (positional records) and init/settable
    /// properties; see the library README for the type mapping.
    /// </summary>
    /// <typeparam name="T">The .NET type.</typeparam>
    /// <param name="schema">The schema values are written with (and read as).</param>
    /// <returns>The codec.</returns>
    /// <exception cref="AvroBindingException">The type and the schema disagree; the message names the type, property and field.</exception>
    public static AvroCodec<T> For<T>(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return (AvroCodec<T>)Cache.GetOrAdd((typeof(T), schema.ToJson()), static (_, s) => Create<T>(s), schema);
    }

    private static AvroCodec<T> Create<T>(Schema schema)
    {
        var writer = new WriterBuilder().Build<T>(schema);
        ValueReader<T> reader;
        try
        {
            reader = new ReaderBuilder().Build<T>(schema, schema);
        }
        catch (AvroResolutionException ex)
        {
            throw new AvroBindingException($"{typeof(T).Name}: {ex.Message}", ex);
        }

        return new AvroCodec<T>(schema, writer, reader);
    }
}
