using System.Buffers;
using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using MesErpStreams.Avro.Internal;
using MesErpStreams.Avro.Internal.Codec;

namespace MesErpStreams.Avro;

/// <summary>
/// Encoding and decoding of values without .NET types, for tools. Representation: null, bool, int, long, float,
/// double, string, byte[]; <see cref="GenericRecord"/>, <see cref="GenericEnum"/>, <see cref="GenericFixed"/>;
/// arrays as <see cref="List{T}"/> of object, maps as <see cref="Dictionary{TKey,TValue}"/> of string to object.
/// Logical types decode to decimal (or <see cref="AvroDecimal"/> when decimal cannot hold the value), Guid, DateOnly,
/// TimeOnly, DateTimeOffset (timestamps, UTC) and DateTime (local timestamps, unspecified kind); a logical value
/// outside the .NET type's range decodes to its underlying primitive.
/// </summary>
public static class GenericDatum
{
    private static readonly ConditionalWeakTable<Schema, ConcurrentDictionary<Schema, ValueReader<object?>>> Readers = [];

    /// <summary>Encodes a generic value with a schema.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="value">The value in the generic representation.</param>
    /// <returns>The Avro binary encoding.</returns>
    /// <exception cref="AvroEncodeException">The value does not match the schema.</exception>
    public static byte[] Encode(Schema schema, object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(schema, value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes a generic value with a schema into a buffer writer.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="value">The value in the generic representation.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="AvroEncodeException">The value does not match the schema.</exception>
    public static void Encode(Schema schema, object? value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(output);
        var w = new AvroWriter(output);
        GenericValueWriter.WriteValue(ref w, schema, value, "$", 0);
        w.Flush();
    }

    /// <summary>Decodes data written with <paramref name="writer"/>, resolved to <paramref name="reader"/>.</summary>
    /// <param name="writer">The schema the data was written with.</param>
    /// <param name="reader">The schema to read it as.</param>
    /// <param name="data">The Avro binary data (exactly one value).</param>
    /// <returns>The value in the generic representation.</returns>
    /// <exception cref="AvroResolutionException">The reader cannot read what the writer writes.</exception>
    /// <exception cref="AvroDecodeException">The data is malformed.</exception>
    public static object? Decode(Schema writer, Schema reader, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reader);
        var readers = Readers.GetValue(reader, static _ => new ConcurrentDictionary<Schema, ValueReader<object?>>());
        if (!readers.TryGetValue(writer, out var node))
        {
            node = new ReaderBuilder().Build<object?>(writer, reader);
            readers.TryAdd(writer, node);
        }

        var r = new AvroReader(data);
        var value = node.Read(ref r);
        if (r.Remaining != 0)
        {
            throw new AvroDecodeException($"{r.Remaining} trailing byte(s) after the value (data and schema disagree)");
        }

        return value;
    }

    /// <summary>Decodes data written with the same schema.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="data">The Avro binary data (exactly one value).</param>
    /// <returns>The value in the generic representation.</returns>
    /// <exception cref="AvroDecodeException">The data is malformed.</exception>
    public static object? Decode(Schema schema, ReadOnlySpan<byte> data) => Decode(schema, schema, data);

    /// <summary>Deep equality of generic values (byte arrays by content, collections element-wise, NaN equal to NaN).</summary>
    /// <param name="a">One value.</param>
    /// <param name="b">The other value.</param>
    /// <returns>True when equal.</returns>
    public static bool ValuesEqual(object? a, object? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (byte[] x, byte[] y):
                return x.AsSpan().SequenceEqual(y);
            case (double x, double y):
                return x.Equals(y);
            case (float x, float y):
                return x.Equals(y);
            case (IDictionary x, IDictionary y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                var entries = x.GetEnumerator();
                while (entries.MoveNext())
                {
                    if (!y.Contains(entries.Key) || !ValuesEqual(entries.Value, y[entries.Key]))
                    {
                        return false;
                    }
                }

                return true;
            case (IList x, IList y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!ValuesEqual(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return a.Equals(b);
        }
    }

    internal static string Format(object? v) => v switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        byte[] b => "0x" + Convert.ToHexString(b),
        IDictionary d => "{" + string.Join(", ", d.Keys.Cast<object>().Select(k => $"\"{k}\": {Format(d[k])}")) + "}",
        IList l => "[" + string.Join(", ", l.Cast<object?>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? string.Empty,
    };
}
