using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MesErpStreams.Avro.Internal;

/// <summary>Avro binary encoder writing straight into an <see cref="IBufferWriter{T}"/>; call <see cref="Flush"/> at the end.</summary>
internal ref struct AvroWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly IBufferWriter<byte> output;
    private Span<byte> span;
    private int pos;
    private int depth;

    public AvroWriter(IBufferWriter<byte> output)
    {
        this.output = output;
        span = output.GetSpan(256);
        pos = 0;
        depth = 0;
    }

    /// <summary>Bounds nesting so a cyclic object graph fails with an exception instead of overflowing the stack.</summary>
    public void Enter()
    {
        if (++depth > AvroReader.MaxDepth)
        {
            throw new AvroEncodeException($"Value nests deeper than {AvroReader.MaxDepth} levels (a cyclic object graph?)");
        }
    }

    public void Exit() => depth--;

    public void Flush()
    {
        if (pos > 0)
        {
            output.Advance(pos);
            pos = 0;
            span = default;
        }
    }

    private void Ensure(int count)
    {
        if (span.Length - pos < count)
        {
            if (pos > 0)
            {
                output.Advance(pos);
            }

            span = output.GetSpan(Math.Max(count, 256));
            pos = 0;
        }
    }

    public void WriteBoolean(bool value)
    {
        Ensure(1);
        span[pos++] = value ? (byte)1 : (byte)0;
    }

    public void WriteInt(int value) => WriteLong(value);

    public void WriteLong(long value)
    {
        Ensure(10);
        var n = (ulong)((value << 1) ^ (value >> 63));
        while (n >= 0x80)
        {
            span[pos++] = (byte)(n | 0x80);
            n >>= 7;
        }

        span[pos++] = (byte)n;
    }

    public void WriteFloat(float value)
    {
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(span[pos..], value);
        pos += 4;
    }

    public void WriteDouble(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(span[pos..], value);
        pos += 8;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        WriteFixed(value);
    }

    public void WriteFixed(scoped ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(span[pos..]);
        pos += value.Length;
    }

    public void WriteString(string value)
    {
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new AvroEncodeException("String is not valid UTF-16 (lone surrogate) and cannot be encoded as UTF-8", ex);
        }

        WriteLong(byteCount);
        Ensure(byteCount);
        pos += StrictUtf8.GetBytes(value, span[pos..]);
    }
}
