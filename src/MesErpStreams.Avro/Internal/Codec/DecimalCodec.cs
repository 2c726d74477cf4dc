using System.Numerics;

namespace MesErpStreams.Avro.Internal.Codec;

/// <summary>The decimal logical type: two's-complement big-endian unscaled values, exact scale, no silent rounding.</summary>
internal static class DecimalCodec
{
    private static readonly UInt128[] Pow10 = BuildPowers();

    private static UInt128[] BuildPowers()
    {
        var p = new UInt128[39];
        p[0] = 1;
        for (var i = 1; i < p.Length; i++)
        {
            p[i] = p[i - 1] * 10;
        }

        return p;
    }

    /// <summary>The unscaled value of <paramref name="value"/> at <paramref name="scale"/>; throws when digits would be lost or precision exceeded.</summary>
    public static BigInteger ToUnscaledBig(decimal value, int scale, int precision)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var valueScale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        BigInteger unscaled;
        if (valueScale > scale)
        {
            var divisor = Pow10[valueScale - scale];
            var quotient = UInt128.DivRem(mantissa, divisor);
            if (quotient.Remainder != 0)
            {
                throw new AvroEncodeException($"Decimal {value} has more than {scale} fractional digits (the schema's scale); rounding is never silent");
            }

            unscaled = (BigInteger)quotient.Quotient;
        }
        else
        {
            unscaled = (BigInteger)mantissa * BigInteger.Pow(10, scale - valueScale);
        }

        if (unscaled >= BigInteger.Pow(10, precision))
        {
            throw new AvroEncodeException($"Decimal {value} needs more than {precision} digits (the schema's precision) at scale {scale}");
        }

        return negative ? -unscaled : unscaled;
    }

    /// <summary>Fast path for the common case (precision up to 38): the unscaled value as a 128-bit integer.</summary>
    public static Int128 ToUnscaled(decimal value, int scale, int precision)
    {
        if (precision > 38 || scale > 38)
        {
            return (Int128)ToUnscaledBig(value, scale, precision);
        }

        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var valueScale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        UInt128 unscaled;
        if (valueScale > scale)
        {
            var (q, rem) = UInt128.DivRem(mantissa, Pow10[valueScale - scale]);
            if (rem != 0)
            {
                throw new AvroEncodeException($"Decimal {value} has more than {scale} fractional digits (the schema's scale); rounding is never silent");
            }

            unscaled = q;
        }
        else
        {
            var factor = Pow10[scale - valueScale];
            if (mantissa != 0 && mantissa > UInt128.MaxValue / factor)
            {
                throw new AvroEncodeException($"Decimal {value} needs more than {precision} digits (the schema's precision) at scale {scale}");
            }

            unscaled = mantissa * factor;
        }

        if (unscaled >= Pow10[precision])
        {
            throw new AvroEncodeException($"Decimal {value} needs more than {precision} digits (the schema's precision) at scale {scale}");
        }

        return negative ? -(Int128)unscaled : (Int128)unscaled;
    }

    /// <summary>Minimal big-endian two's complement of <paramref name="v"/> into <paramref name="dest"/> (16 bytes); returns the length.</summary>
    public static int WriteMinimal(Int128 v, Span<byte> dest)
    {
        Span<byte> full = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt128BigEndian(full, v);
        var start = 0;
        var sign = v < 0 ? (byte)0xFF : (byte)0x00;
        while (start < 15 && full[start] == sign && (full[start + 1] & 0x80) == (sign & 0x80))
        {
            start++;
        }

        full[start..].CopyTo(dest);
        return 16 - start;
    }

    /// <summary>Big-endian two's complement of <paramref name="v"/> sign-extended to exactly <paramref name="size"/> bytes.</summary>
    public static byte[] ToFixed(BigInteger v, int size)
    {
        var minimal = v.ToByteArray(isUnsigned: false, isBigEndian: true);
        if (minimal.Length > size)
        {
            throw new AvroEncodeException($"Decimal unscaled value {v} does not fit in fixed({size})");
        }

        var result = new byte[size];
        var fill = v.Sign < 0 ? (byte)0xFF : (byte)0;
        result.AsSpan(0, size - minimal.Length).Fill(fill);
        minimal.CopyTo(result, size - minimal.Length);
        return result;
    }

    public static BigInteger ReadBig(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 0 ? BigInteger.Zero : new BigInteger(bytes, isUnsigned: false, isBigEndian: true);

    /// <summary>Converts two's complement bytes at a scale to <see cref="decimal"/>, or returns false when it cannot be exact.</summary>
    public static bool TryToDecimal(ReadOnlySpan<byte> bytes, int scale, out decimal value)
    {
        value = 0;
        if (scale > 28)
        {
            return false;
        }

        BigInteger big;
        if (bytes.Length <= 16)
        {
            Int128 v = 0;
            if (bytes.Length > 0)
            {
                v = (sbyte)bytes[0];
                for (var i = 1; i < bytes.Length; i++)
                {
                    v = (v << 8) | bytes[i];
                }
            }

            var negative = v < 0;
            var magnitude = negative ? (UInt128)(-v) : (UInt128)v;
            if (v == Int128.MinValue || magnitude >> 96 != 0)
            {
                return false;
            }

            value = new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, (byte)scale);
            return true;
        }

        big = ReadBig(bytes);
        var abs = BigInteger.Abs(big);
        if (abs >> 96 != BigInteger.Zero)
        {
            return false;
        }

        var mag = (UInt128)abs;
        value = new decimal((int)(uint)mag, (int)(uint)(mag >> 32), (int)(uint)(mag >> 64), big.Sign < 0, (byte)scale);
        return true;
    }

    public static decimal ToDecimal(ReadOnlySpan<byte> bytes, int scale) =>
        TryToDecimal(bytes, scale, out var value)
            ? value
            : throw new AvroDecodeException($"Decimal value (scale {scale}, {bytes.Length} bytes) cannot be represented exactly by System.Decimal");
}
