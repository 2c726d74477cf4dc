using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MesErpStreams.Avro.Internal;
using MesErpStreams.Avro.Internal.Codec;

namespace MesErpStreams.Avro;

/// <summary>
/// Encodes and decodes <typeparamref name="T"/> with a schema through compiled code (no reflection per record).
/// Thread-safe; obtain instances from <see cref="AvroCodec.For{T}"/>.
/// </summary>
/// <typeparam name="T">The bound .NET type.</typeparam>
public sealed class AvroCodec<T>
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? scratch;

    private readonly ValueWriter<T> writer;
    private readonly ValueReader<T> reader;
    private readonly ConditionalWeakTable<Schema, ValueReader<T>> byWriterInstance = [];
    private readonly ConcurrentDictionary<string, ValueReader<T>> byWriterJson = new(StringComparer.Ordinal);

    internal AvroCodec(Schema schema, ValueWriter<T> writer, ValueReader<T> reader)
    {
        Schema = schema;
        this.writer = writer;
        this.reader = reader;
    }

    /// <summary>The schema values are written with and read as.</summary>
    public Schema Schema { get; }

    /// <summary>Encodes a value into a buffer writer.</summary>
    /// <param name="value">The value.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="AvroEncodeException">The value cannot be encoded (null where not allowed, decimal scale or precision exceeded, ...).</exception>
    public void Encode(T value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var w = new AvroWriter(output);
        writer.Write(ref w, value);
        w.Flush();
    }

    /// <summary>Encodes a value into a new array.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The Avro binary encoding.</returns>
    /// <exception cref="AvroEncodeException">The value cannot be encoded.</exception>
    public byte[] Encode(T value)
    {
        var buffer = scratch ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        Encode(value, buffer);
        var result = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1 << 20)
        {
            scratch = null;
        }

        return result;
    }

    /// <summary>Decodes a value written with <see cref="Schema"/>.</summary>
    /// <param name="data">Exactly one encoded value.</param>
    /// <returns>The value.</returns>
    /// <exception cref="AvroDecodeException">The data is malformed or has trailing bytes.</exception>
    public T Decode(ReadOnlySpan<byte> data) => Read(reader, data);

    /// <summary>Decodes a value written with <paramref name="writerSchema"/>, resolving it to <see cref="Schema"/>.</summary>
    /// <param name="data">Exactly one encoded value.</param>
    /// <param name="writerSchema">The schema the data was written with.</param>
    /// <returns>The value.</returns>
    /// <exception cref="AvroResolutionException">The writer schema cannot be resolved to <see cref="Schema"/>.</exception>
    /// <exception cref="AvroDecodeException">The data is malformed, has trailing bytes, or takes a path the reader cannot read.</exception>
    public T Decode(ReadOnlySpan<byte> data, Schema writerSchema)
    {
        ArgumentNullException.ThrowIfNull(writerSchema);
        return Read(ResolvingReader(writerSchema), data);
    }

    private ValueReader<T> ResolvingReader(Schema writerSchema)
    {
        if (ReferenceEquals(writerSchema, Schema))
        {
            return reader;
        }

        if (byWriterInstance.TryGetValue(writerSchema, out var cached))
        {
            return cached;
        }

        var json = writerSchema.ToJson();
        var resolved = json == Schema.ToJson()
            ? reader
            : byWriterJson.GetOrAdd(json, static (_, state) => new ReaderBuilder().Build<T>(state.Writer, state.Reader), (Writer: writerSchema, Reader: Schema));
        byWriterInstance.AddOrUpdate(writerSchema, resolved);
        return resolved;
    }

    private static T Read(ValueReader<T> node, ReadOnlySpan<byte> data)
    {
        var r = new AvroReader(data);
        var value = node.Read(ref r);
        if (r.Remaining != 0)
        {
            throw new AvroDecodeException($"{r.Remaining} trailing byte(s) after the value (data and schema disagree)");
        }

        return value;
    }
}
