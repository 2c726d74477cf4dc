using System.Buffers;
using System.Text.Unicode;
using System.Threading.Channels;

namespace MesErpStreams.Edge.Internal;

/// <summary>One input line: its number in its source, its UTF-8 bytes without the terminator, or why it is unusable.</summary>
/// <param name="Number">1-based line number in the source.</param>
/// <param name="Utf8">The line's bytes (valid UTF-8), or null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the line cannot be parsed (invalid UTF-8, too long), or null.</param>
internal readonly record struct InputLine(long Number, byte[]? Utf8, string? Error);

/// <summary>
/// Splits a byte stream into lines (LF or CRLF) and hands them to a channel, so the publisher can wait for input with a
/// deadline (a partial batch is flushed after its linger instead of waiting for the batch to fill). Lines are checked
/// for strict UTF-8: a decoding <see cref="System.IO.TextReader"/> would silently turn invalid bytes into U+FFFD and an
/// event with a mangled work order or batch number would be published; here such a line is rejected with the offset of
/// the first bad byte. Lines longer than <see cref="MaxLineBytes"/> are rejected (and skipped to their end) instead of
/// growing a buffer without bound.
/// </summary>
internal static class JsonLineReader
{
    /// <summary>Longest accepted line in bytes (an event is a few hundred bytes).</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>Reads <paramref name="input"/> to its end, writing every line to <paramref name="output"/>; completes the writer.</summary>
    public static async Task PumpAsync(Stream input, ChannelWriter<InputLine> output, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var line = new ArrayBufferWriter<byte>(1024);
        long number = 0;
        var overlong = false;
        try
        {
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(), ct).ConfigureAwait(false)) > 0)
            {
                var pos = 0;
                while (pos < read)
                {
                    var nl = buffer.AsSpan(pos, read - pos).IndexOf((byte)'\n');
                    var length = nl < 0 ? read - pos : nl;
                    if (!overlong)
                    {
                        if (line.WrittenCount + length > MaxLineBytes)
                        {
                            overlong = true;
                            line.Clear();
                        }
                        else
                        {
                            line.Write(buffer.AsSpan(pos, length));
                        }
                    }

                    if (nl < 0)
                    {
                        break;
                    }

                    number++;
                    await output.WriteAsync(Complete(number, line, overlong), ct).ConfigureAwait(false);
                    line.Clear();
                    overlong = false;
                    pos += length + 1;
                }
            }

            if (line.WrittenCount > 0 || overlong)
            {
                number++;
                await output.WriteAsync(Complete(number, line, overlong), ct).ConfigureAwait(false);
            }

            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static InputLine Complete(long number, ArrayBufferWriter<byte> line, bool overlong)
    {
        if (overlong)
        {
            return new InputLine(number, null, $"line is longer than {MaxLineBytes} bytes");
        }

        var bytes = line.WrittenSpan;
        if (!bytes.IsEmpty && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        return Utf8.IsValid(bytes)
            ? new InputLine(number, bytes.ToArray(), null)
            : new InputLine(number, null, $"invalid UTF-8 at byte {FirstInvalidByte(bytes)} of the line");
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        Span<char> scratch = stackalloc char[256];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Utf8.ToUtf16(bytes[offset..], scratch, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            offset += read;
            if (status is OperationStatus.InvalidData or OperationStatus.NeedMoreData)
            {
                return offset;
            }

            if (status == OperationStatus.Done)
            {
                break;
            }
        }

        return offset;
    }
}
