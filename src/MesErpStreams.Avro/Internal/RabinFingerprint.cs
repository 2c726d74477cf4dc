namespace MesErpStreams.Avro.Internal;

/// <summary>The 64-bit Rabin fingerprint (CRC-64-AVRO) defined by the Avro specification.</summary>
internal static class RabinFingerprint
{
    private const ulong Empty = 0xc15d213aa4d7a795UL;
    private static readonly ulong[] Table = BuildTable();

    public static long Compute(ReadOnlySpan<byte> data)
    {
        var fp = Empty;
        foreach (var b in data)
        {
            fp = (fp >> 8) ^ Table[(int)((fp ^ b) & 0xff)];
        }

        return (long)fp;
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (ulong i = 0; i < 256; i++)
        {
            var fp = i;
            for (var j = 0; j < 8; j++)
            {
                fp = (fp >> 1) ^ (Empty & (0UL - (fp & 1)));
            }

            table[i] = fp;
        }

        return table;
    }
}
