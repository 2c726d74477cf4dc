using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MesErpStreams.Contracts.Common;

/// <summary>
/// A validated W3C <c>traceparent</c> value (<c>00-&lt;32 hex trace id&gt;-&lt;16 hex parent id&gt;-&lt;2 hex flags&gt;</c>,
/// https://www.w3.org/TR/trace-context/) and the propagation rules of MesErpStreams: the edge starts a trace per event
/// (<see cref="ForEvent"/>) unless the input carries one, and every hop (processor, sink, retry tier, dead letter,
/// result) writes a child (<see cref="Child"/>): same trace id, a new parent id, same flags. Child ids are derived
/// from the parent and a hop discriminator (SHA-256), so re-processing the same input after a crash writes the same
/// trace context (outputs stay byte-identical) while different hops get different ids.
/// </summary>
public readonly record struct TraceParent
{
    private const int Length = 55;
    private static readonly byte[] EventSalt = "meserp-trace/"u8.ToArray();

    private TraceParent(string value) => Value = value;

    /// <summary>The normalized header value (always version <c>00</c>, 55 characters); null for <c>default</c>.</summary>
    public string? Value { get; }

    /// <summary>True unless this is <c>default</c>.</summary>
    public bool IsValid => Value is not null;

    /// <summary>The 32 lowercase hex digits of the trace id.</summary>
    public string TraceId => Checked.Substring(3, 32);

    /// <summary>The 16 lowercase hex digits of the parent (span) id.</summary>
    public string ParentId => Checked.Substring(36, 16);

    /// <summary>The trace flags (bit 0: sampled).</summary>
    public byte Flags => byte.Parse(Checked.AsSpan(53, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private string Checked => Value ?? throw new InvalidOperationException("default(TraceParent) has no value");

    /// <summary>
    /// Parses a header value by the W3C rules: lowercase hex only, trace id and parent id not all zeros, version
    /// <c>ff</c> invalid, version <c>00</c> exactly 55 characters, a later version may carry more fields after a dash
    /// (they are dropped: the result is version 00).
    /// </summary>
    /// <param name="value">The header value; null or malformed gives false.</param>
    /// <param name="result">The parsed value, or <c>default</c>.</param>
    /// <returns>True when <paramref name="value"/> is a valid traceparent.</returns>
    public static bool TryParse(string? value, out TraceParent result)
    {
        result = default;
        if (value is null || value.Length < Length)
        {
            return false;
        }

        var s = value.AsSpan();
        if (!IsLowerHex(s[..2]) || s[..2] is "ff" || s[2] != '-' || s[35] != '-' || s[52] != '-'
            || !IsLowerHex(s.Slice(3, 32)) || !IsLowerHex(s.Slice(36, 16)) || !IsLowerHex(s.Slice(53, 2))
            || IsAllZeros(s.Slice(3, 32)) || IsAllZeros(s.Slice(36, 16)))
        {
            return false;
        }

        var version00 = s[..2] is "00";
        if (version00 ? value.Length != Length : value.Length > Length && s[Length] != '-')
        {
            return false;
        }

        result = new TraceParent(version00 && value.Length == Length ? value : string.Concat("00", s[2..Length]));
        return true;
    }

    /// <summary>Parses a header value (see <see cref="TryParse"/>).</summary>
    /// <exception cref="FormatException">Not a valid traceparent.</exception>
    public static TraceParent Parse(string value) =>
        TryParse(value, out var result) ? result : throw new FormatException($"'{value}' is not a valid W3C traceparent");

    /// <summary>
    /// The root of the trace of a MES event, derived from its id (SHA-256; as unpredictable as the id, deterministic, so
    /// a simulator seed reproduces it and re-sends of the same event join the same trace). Sampled flag set.
    /// </summary>
    /// <param name="eventId">The event id.</param>
    public static TraceParent ForEvent(Guid eventId)
    {
        Span<byte> input = stackalloc byte[EventSalt.Length + 16];
        EventSalt.CopyTo(input);
        eventId.TryWriteBytes(input[EventSalt.Length..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return Format(hash[..16], hash[16..24], 0x01);
    }

    /// <summary>A new root with random ids (sampled).</summary>
    public static TraceParent NewRoot()
    {
        Span<byte> ids = stackalloc byte[24];
        RandomNumberGenerator.Fill(ids);
        return Format(ids[..16], ids[16..], 0x01);
    }

    /// <summary>
    /// The context of the next hop: same trace id and flags, a parent id derived from this one and
    /// <paramref name="hop"/> (different hops of one parent get different ids; the same hop always the same id).
    /// </summary>
    /// <param name="hop">Names the hop, e.g. the command's idempotency key or <c>retry-2</c>.</param>
    /// <exception cref="InvalidOperationException">This is <c>default</c>.</exception>
    public TraceParent Child(string hop)
    {
        ArgumentNullException.ThrowIfNull(hop);
        var value = Checked;
        var max = 48 + Encoding.UTF8.GetMaxByteCount(hop.Length);
        byte[]? rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            Span<byte> input = rented ?? stackalloc byte[max];
            var n = Encoding.ASCII.GetBytes(value.AsSpan(3, 49), input); // trace id, dash, parent id
            n += Encoding.UTF8.GetBytes(hop, input[n..]);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(input[..n], hash);
            Span<byte> traceId = stackalloc byte[16];
            Convert.FromHexString(value.AsSpan(3, 32), traceId, out _, out _);
            return Format(traceId, hash[..8], Flags);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The child (<paramref name="hop"/>) of <paramref name="parent"/> when it is a valid traceparent, else the child of
    /// the event's root (<see cref="ForEvent"/>): a hop never leaves its output untraced.
    /// </summary>
    public static TraceParent ChildOf(string? parent, Guid eventId, string hop) =>
        (TryParse(parent, out var p) ? p : ForEvent(eventId)).Child(hop);

    /// <summary>True when both values are valid and carry the same trace id.</summary>
    public static bool SameTrace(string? a, string? b) =>
        TryParse(a, out var x) && TryParse(b, out var y) && x.Value.AsSpan(3, 32).SequenceEqual(y.Value.AsSpan(3, 32));

    /// <summary>The header value.</summary>
    public override string ToString() => Value ?? string.Empty;

    private static TraceParent Format(ReadOnlySpan<byte> traceId, ReadOnlySpan<byte> spanId, byte flags)
    {
        Span<byte> t = stackalloc byte[16];
        Span<byte> p = stackalloc byte[8];
        traceId.CopyTo(t);
        spanId.CopyTo(p);
        if (IsAllZeros(t))
        {
            t[15] = 1;
        }

        if (IsAllZeros(p))
        {
            p[7] = 1;
        }

        // One allocation: the 55-character value written in place (this runs once per record on every hop).
        Span<byte> raw = stackalloc byte[25];
        t.CopyTo(raw);
        p.CopyTo(raw[16..]);
        raw[24] = flags;
        return new TraceParent(string.Create(Length, (ReadOnlySpan<byte>)raw, static (dst, b) =>
        {
            dst[0] = '0';
            dst[1] = '0';
            dst[2] = '-';
            Convert.TryToHexStringLower(b[..16], dst[3..35], out _);
            dst[35] = '-';
            Convert.TryToHexStringLower(b[16..24], dst[36..52], out _);
            dst[52] = '-';
            Convert.TryToHexStringLower(b[24..], dst[53..], out _);
        }));
    }

    private static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllZeros(ReadOnlySpan<char> s) => !s.ContainsAnyExcept('0');

    private static bool IsAllZeros(ReadOnlySpan<byte> s) => !s.ContainsAnyExcept((byte)0);
}
