using System.Buffers.Binary;
using System.Text;

namespace MesErpStreams.Avro.Internal;

/// <summary>
/// Avro binary decoder over a span. Every length is checked against the remaining input before anything is
/// allocated, and nesting is bounded, so malformed input raises <see cref="AvroDecodeException"/> instead of
/// exhausting memory or the stack.
/// </summary>
internal ref struct AvroReader
{
    public const int MaxDepth = 256;

    /// <summary>Cap on items of zero-byte encodings (e.g. arrays of null), which the input size cannot bound.</summary>
    public const long MaxZeroSizeItems = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly ReadOnlySpan<byte> data;
    private int pos;
    private int depth;
    private long zeroSizeItems;

    public AvroReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        pos = 0;
        depth = 0;
        zeroSizeItems = 0;
    }

    public readonly int Position => pos;

    public readonly int Remaining => data.Length - pos;

    public void Enter()
    {
        if (++depth > MaxDepth)
        {
            throw new AvroDecodeException($"Data nests deeper than {MaxDepth} levels at byte {pos}");
        }
    }

    public void Exit() => depth--;

    public bool ReadBoolean()
    {
        var b = ReadByte();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new AvroDecodeException($"Invalid boolean byte {b} at byte {pos - 1}"),
        };
    }

    private byte ReadByte()
    {
        if (pos >= data.Length)
        {
            throw Truncated(1);
        }

        return data[pos++];
    }

    public int ReadInt()
    {
        var start = pos;
        uint n = 0;
        var shift = 0;
        byte b;
        do
        {
            if (shift >= 35)
            {
                throw new AvroDecodeException($"Varint for an int is longer than 5 bytes at byte {start}");
            }

            b = ReadByte();
            n |= (uint)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        if (shift == 35 && (b & 0x70) != 0)
        {
            throw new AvroDecodeException($"Varint at byte {start} overflows a 32-bit int");
        }

        return (int)(n >> 1) ^ -(int)(n & 1);
    }

    public long ReadLong()
    {
        var start = pos;
        ulong n = 0;
        var shift = 0;
        byte b;
        do
        {
            if (shift >= 70)
            {
                throw new AvroDecodeException($"Varint for a long is longer than 10 bytes at byte {start}");
            }

            b = ReadByte();
            n |= (ulong)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        if (shift == 70 && (b & 0x7E) != 0)
        {
            throw new AvroDecodeException($"Varint at byte {start} overflows a 64-bit long");
        }

        return (long)(n >> 1) ^ -(long)(n & 1);
    }

    public float ReadFloat()
    {
        var s = ReadSpan(4);
        return BinaryPrimitives.ReadSingleLittleEndian(s);
    }

    public double ReadDouble()
    {
        var s = ReadSpan(8);
        return BinaryPrimitives.ReadDoubleLittleEndian(s);
    }

    public ReadOnlySpan<byte> ReadBytesSpan()
    {
        var start = pos;
        var length = ReadLong();
        if (length < 0)
        {
            throw new AvroDecodeException($"Negative length {length} at byte {start}");
        }

        if (length > Remaining)
        {
            throw new AvroDecodeException($"Length {length} at byte {start} exceeds the {Remaining} bytes remaining");
        }

        return ReadSpan((int)length);
    }

    public byte[] ReadBytes() => ReadBytesSpan().ToArray();

    public string ReadString()
    {
        var start = pos;
        var bytes = ReadBytesSpan();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new AvroDecodeException($"Invalid UTF-8 in string at byte {start}", ex);
        }
    }

    public ReadOnlySpan<byte> ReadSpan(int count)
    {
        if (count > Remaining)
        {
            throw Truncated(count);
        }

        var s = data.Slice(pos, count);
        pos += count;
        return s;
    }

    public void Skip(int count) => ReadSpan(count);

    /// <summary>
    /// Reads the item count of the next array/map block (0 ends the collection). A negative count is followed by the
    /// block's byte size, which is validated and otherwise ignored. <paramref name="minItemSize"/> is the smallest
    /// encoding of one item, used to reject counts the remaining input cannot hold.
    /// </summary>
    public long ReadBlockCount(int minItemSize)
    {
        var start = pos;
        var count = ReadLong();
        if (count < 0)
        {
            if (count == long.MinValue)
            {
                throw new AvroDecodeException($"Invalid block count at byte {start}");
            }

            count = -count;
            var size = ReadLong();
            if (size < 0 || size > Remaining)
            {
                throw new AvroDecodeException($"Block byte size {size} at byte {start} is negative or exceeds the {Remaining} bytes remaining");
            }
        }

        CheckCount(count, minItemSize, start);
        return count;
    }

    /// <summary>Reads a block header and returns its byte size when the writer gave one (negative count), else -1.</summary>
    public long ReadBlockCountForSkip(int minItemSize, out long byteSize)
    {
        var start = pos;
        var count = ReadLong();
        byteSize = -1;
        if (count < 0)
        {
            if (count == long.MinValue)
            {
                throw new AvroDecodeException($"Invalid block count at byte {start}");
            }

            count = -count;
            byteSize = ReadLong();
            if (byteSize < 0 || byteSize > Remaining)
            {
                throw new AvroDecodeException($"Block byte size {byteSize} at byte {start} is negative or exceeds the {Remaining} bytes remaining");
            }

            return count;
        }

        CheckCount(count, minItemSize, start);
        return count;
    }

    private void CheckCount(long count, int minItemSize, int start)
    {
        if (minItemSize > 0)
        {
            if (count > Remaining / minItemSize)
            {
                throw new AvroDecodeException($"Block count {count} at byte {start} exceeds what the {Remaining} remaining bytes can hold");
            }
        }
        else
        {
            zeroSizeItems += count;
            if (zeroSizeItems > MaxZeroSizeItems)
            {
                throw new AvroDecodeException($"More than {MaxZeroSizeItems} items of zero-byte encoding (at byte {start})");
            }
        }
    }

    private readonly AvroDecodeException Truncated(int needed) =>
        new($"Unexpected end of data: needed {needed} byte(s) at byte {pos}, {Remaining} remaining");
}
