using System.Text;
using System.Threading.Channels;
using MesErpStreams.Edge.Internal;

namespace MesErpStreams.Edge.UnitTests;

public sealed class JsonLineReaderTests
{
    private static async Task<List<InputLine>> ReadAllAsync(byte[] input)
    {
        var channel = Channel.CreateUnbounded<InputLine>();
        await JsonLineReader.PumpAsync(new MemoryStream(input), channel.Writer, CancellationToken.None);
        var lines = new List<InputLine>();
        await foreach (var l in channel.Reader.ReadAllAsync())
        {
            lines.Add(l);
        }

        return lines;
    }

    [Fact]
    public async Task Lines_split_on_LF_and_CRLF_with_numbers_and_a_last_line_without_terminator()
    {
        var lines = await ReadAllAsync(Encoding.UTF8.GetBytes("{\"a\":1}\r\n{\"b\":\"ü\"}\n\nlast"));
        lines.Select(l => l.Number).Should().Equal(1, 2, 3, 4);
        lines.Select(l => Encoding.UTF8.GetString(l.Utf8!)).Should().Equal("{\"a\":1}", "{\"b\":\"ü\"}", "", "last");
        lines.Should().OnlyContain(l => l.Error == null);
    }

    [Fact]
    public async Task Invalid_UTF8_is_rejected_with_the_offset_of_the_first_bad_byte_instead_of_being_replaced()
    {
        byte[] input = [.. "{\"plant\":\"1"u8, 0xFF, .. "\"}\n"u8, .. "{\"ok\":true}\n"u8];
        var lines = await ReadAllAsync(input);
        lines.Should().HaveCount(2);
        lines[0].Utf8.Should().BeNull();
        lines[0].Error.Should().Be("invalid UTF-8 at byte 11 of the line");
        lines[1].Error.Should().BeNull();
    }

    [Fact]
    public async Task An_overlong_line_is_rejected_and_the_next_line_still_read()
    {
        var input = new byte[JsonLineReader.MaxLineBytes + 10];
        input.AsSpan().Fill((byte)'x');
        byte[] all = [.. input, (byte)'\n', .. "{}\n"u8];
        var lines = await ReadAllAsync(all);
        lines.Should().HaveCount(2);
        lines[0].Error.Should().Contain("longer than");
        Encoding.UTF8.GetString(lines[1].Utf8!).Should().Be("{}");
    }
}
