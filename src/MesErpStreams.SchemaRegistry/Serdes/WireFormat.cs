using System.Buffers;
using System.Buffers.Binary;

namespace MesErpStreams.SchemaRegistry.Serdes;

/// <summary>The Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro binary body.</summary>
public static class WireFormat
{
    /// <summary>The magic byte.</summary>
    public const byte MagicByte = 0;

    /// <summary>Length of the header (magic byte + schema id).</summary>
    public const int HeaderLength = 5;

    /// <summary>Writes the header for <paramref name="schemaId"/>.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, int schemaId)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(HeaderLength);
        span[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], schemaId);
        output.Advance(HeaderLength);
    }

    /// <summary>Reads the header; false when the payload is shorter than the header or the magic byte is not 0.</summary>
    /// <param name="payload">The whole message key or value.</param>
    /// <param name="schemaId">The schema id, when the header is valid.</param>
    public static bool TryReadHeader(ReadOnlySpan<byte> payload, out int schemaId)
    {
        schemaId = 0;
        if (payload.Length < HeaderLength || payload[0] != MagicByte)
        {
            return false;
        }

        schemaId = BinaryPrimitives.ReadInt32BigEndian(payload[1..]);
        return true;
    }
}
