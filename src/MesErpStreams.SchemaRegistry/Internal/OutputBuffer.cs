using System.Buffers;

namespace MesErpStreams.SchemaRegistry.Internal;

/// <summary>
/// A per-thread reusable encode buffer: serializing a record allocates only its output array. Used only between
/// awaits (encode is synchronous), so a thread never shares it.
/// </summary>
internal static class OutputBuffer
{
    private const int MaxRetainedBytes = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    public static ArrayBufferWriter<byte> Rent()
    {
        var b = buffer ??= new ArrayBufferWriter<byte>(256);
        b.ResetWrittenCount();
        return b;
    }

    public static byte[] ToArrayAndReturn(ArrayBufferWriter<byte> b)
    {
        var result = b.WrittenSpan.ToArray();
        if (b.Capacity > MaxRetainedBytes)
        {
            // One huge message must not pin a huge buffer on this thread forever.
            buffer = null;
        }

        return result;
    }
}
