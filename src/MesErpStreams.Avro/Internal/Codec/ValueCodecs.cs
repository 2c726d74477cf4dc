namespace MesErpStreams.Avro.Internal.Codec;

/// <summary>Decodes one value of a (resolved) schema into a .NET value of type <typeparamref name="T"/>.</summary>
internal abstract class ValueReader<T>
{
    public abstract T Read(ref AvroReader r);
}

/// <summary>Encodes one .NET value of type <typeparamref name="T"/> with a schema.</summary>
internal abstract class ValueWriter<T>
{
    public abstract void Write(ref AvroWriter w, T value);
}

/// <summary>A reader whose implementation is assigned after construction (recursive types, compiled bodies).</summary>
internal sealed class DeferredReader<T> : ValueReader<T>
{
    public delegate T ReadFn(ref AvroReader r);

    public ReadFn? Fn { get; set; }

    public override T Read(ref AvroReader r) => Fn!(ref r);
}

/// <summary>A writer whose implementation is assigned after construction (recursive types, compiled bodies).</summary>
internal sealed class DeferredWriter<T> : ValueWriter<T>
{
    public delegate void WriteFn(ref AvroWriter w, T value);

    public WriteFn? Fn { get; set; }

    public override void Write(ref AvroWriter w, T value) => Fn!(ref w, value);
}

/// <summary>Applies a conversion to what an inner reader produced.</summary>
internal sealed class ConvertingReader<TIn, TOut>(ValueReader<TIn> inner, Func<TIn, TOut> convert) : ValueReader<TOut>
{
    public override TOut Read(ref AvroReader r) => convert(inner.Read(ref r));
}

/// <summary>Applies a conversion before an inner writer.</summary>
internal sealed class ConvertingWriter<TIn, TOut>(ValueWriter<TOut> inner, Func<TIn, TOut> convert) : ValueWriter<TIn>
{
    public override void Write(ref AvroWriter w, TIn value) => inner.Write(ref w, convert(value));
}

/// <summary>Raises the resolution error when data actually takes a path the reader cannot read.</summary>
internal sealed class FailingReader<T>(string message) : ValueReader<T>
{
    public override T Read(ref AvroReader r) => throw new AvroDecodeException(message);
}

/// <summary>Reads the null type: nothing on the wire; the target's default.</summary>
internal sealed class NullReader<T> : ValueReader<T>
{
    public override T Read(ref AvroReader r) => default!;
}

/// <summary>Wraps a value-type reader into its nullable form.</summary>
internal sealed class NullableReader<T>(ValueReader<T> inner) : ValueReader<T?>
    where T : struct
{
    public override T? Read(ref AvroReader r) => inner.Read(ref r);
}

/// <summary>Writer union: reads the branch index, then the branch (each branch resolved against the reader).</summary>
internal sealed class WriterUnionReader<T>(ValueReader<T>[] branches) : ValueReader<T>
{
    public override T Read(ref AvroReader r)
    {
        var start = r.Position;
        var index = r.ReadLong();
        if ((ulong)index >= (ulong)branches.Length)
        {
            throw new AvroDecodeException($"Union branch index {index} at byte {start} is out of range (union has {branches.Length} branches)");
        }

        return branches[index].Read(ref r);
    }
}

internal sealed class BooleanReader : ValueReader<bool>
{
    public override bool Read(ref AvroReader r) => r.ReadBoolean();
}

internal sealed class IntReader : ValueReader<int>
{
    public override int Read(ref AvroReader r) => r.ReadInt();
}

internal sealed class LongReader : ValueReader<long>
{
    public override long Read(ref AvroReader r) => r.ReadLong();
}

internal sealed class IntAsLongReader : ValueReader<long>
{
    public override long Read(ref AvroReader r) => r.ReadInt();
}

internal sealed class FloatReader : ValueReader<float>
{
    public override float Read(ref AvroReader r) => r.ReadFloat();
}

internal sealed class IntAsFloatReader : ValueReader<float>
{
    public override float Read(ref AvroReader r) => r.ReadInt();
}

internal sealed class LongAsFloatReader : ValueReader<float>
{
    public override float Read(ref AvroReader r) => r.ReadLong();
}

internal sealed class DoubleReader : ValueReader<double>
{
    public override double Read(ref AvroReader r) => r.ReadDouble();
}

internal sealed class IntAsDoubleReader : ValueReader<double>
{
    public override double Read(ref AvroReader r) => r.ReadInt();
}

internal sealed class LongAsDoubleReader : ValueReader<double>
{
    public override double Read(ref AvroReader r) => r.ReadLong();
}

internal sealed class FloatAsDoubleReader : ValueReader<double>
{
    public override double Read(ref AvroReader r) => r.ReadFloat();
}

internal sealed class BytesReader : ValueReader<byte[]>
{
    public override byte[] Read(ref AvroReader r) => r.ReadBytes();
}

internal sealed class StringReader : ValueReader<string>
{
    public override string Read(ref AvroReader r) => r.ReadString();
}

internal sealed class FixedReader(int size) : ValueReader<byte[]>
{
    public override byte[] Read(ref AvroReader r) => r.ReadSpan(size).ToArray();
}

/// <summary>Reads a writer enum index and maps it to the reader's symbol index (default symbol or error for unknown ones).</summary>
internal sealed class EnumIndexReader(int[] writerToReader, string[] writerSymbols, string readerName) : ValueReader<int>
{
    public override int Read(ref AvroReader r)
    {
        var start = r.Position;
        var index = r.ReadInt();
        if ((uint)index >= (uint)writerToReader.Length)
        {
            throw new AvroDecodeException($"Enum index {index} at byte {start} is out of range (enum has {writerToReader.Length} symbols)");
        }

        var mapped = writerToReader[index];
        return mapped >= 0
            ? mapped
            : throw new AvroDecodeException($"Writer enum symbol '{writerSymbols[index]}' is not in reader enum '{readerName}', which has no default symbol");
    }
}

internal sealed class BooleanWriter : ValueWriter<bool>
{
    public override void Write(ref AvroWriter w, bool value) => w.WriteBoolean(value);
}

internal sealed class IntWriter : ValueWriter<int>
{
    public override void Write(ref AvroWriter w, int value) => w.WriteInt(value);
}

internal sealed class LongWriter : ValueWriter<long>
{
    public override void Write(ref AvroWriter w, long value) => w.WriteLong(value);
}

internal sealed class FloatWriter : ValueWriter<float>
{
    public override void Write(ref AvroWriter w, float value) => w.WriteFloat(value);
}

internal sealed class DoubleWriter : ValueWriter<double>
{
    public override void Write(ref AvroWriter w, double value) => w.WriteDouble(value);
}

internal sealed class BytesWriter : ValueWriter<byte[]>
{
    public override void Write(ref AvroWriter w, byte[] value) =>
        w.WriteBytes(value ?? throw new AvroEncodeException("Null byte array for a non-nullable bytes value"));
}

internal sealed class StringWriter : ValueWriter<string>
{
    public override void Write(ref AvroWriter w, string value) =>
        w.WriteString(value ?? throw new AvroEncodeException("Null string for a non-nullable string value"));
}

internal sealed class FixedWriter(FixedSchema schema) : ValueWriter<byte[]>
{
    public override void Write(ref AvroWriter w, byte[] value)
    {
        if (value is null || value.Length != schema.Size)
        {
            throw new AvroEncodeException($"Fixed '{schema.FullName}' needs exactly {schema.Size} bytes, got {(value is null ? "null" : value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        }

        w.WriteFixed(value);
    }
}

internal sealed class NullWriter<T> : ValueWriter<T>
{
    public override void Write(ref AvroWriter w, T value)
    {
        if (value is not null)
        {
            throw new AvroEncodeException($"Schema 'null' cannot encode a non-null {value.GetType().Name}");
        }
    }
}
