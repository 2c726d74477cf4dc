using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Pipeline;

namespace MesErpStreams.Lineage.Internal;

/// <summary>Reading the lineage headers without decoding values.</summary>
internal static class LineageHeaders
{
    /// <summary>Whether a record's <c>meserp.event.id</c> headers name the event.</summary>
    public enum Match
    {
        /// <summary>No such header: decode the value to know.</summary>
        Absent,

        /// <summary>A header names the event.</summary>
        Yes,

        /// <summary>Headers name other events only.</summary>
        No,
    }

    /// <summary>Checks the <c>meserp.event.id</c> headers (one per source event) against <paramref name="eventId"/>, allocation-free.</summary>
    public static Match EventId(Headers? headers, Guid eventId)
    {
        if (headers is null)
        {
            return Match.Absent;
        }

        var seen = false;
        for (var i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            if (h.Key != PipelineHeaders.EventId)
            {
                continue;
            }

            seen = true;
            var bytes = h.GetValueBytes();
            if (bytes is not null && Utf8Parser.TryParse(bytes, out Guid id, out var consumed) && consumed == bytes.Length && id == eventId)
            {
                return Match.Yes;
            }
        }

        return seen ? Match.No : Match.Absent;
    }

    /// <summary>The last value of a header as UTF-8 text, or null.</summary>
    public static string? Text(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var b) && b is not null ? Encoding.UTF8.GetString(b) : null;

    /// <summary>A header holding decimal Unix milliseconds, as a time.</summary>
    public static DateTimeOffset? UnixMs(Headers? headers, string name) =>
        long.TryParse(Text(headers, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The <c>topic[partition]@offset</c> a record's headers point to, or null when incomplete.</summary>
    public static string? Position(Headers? headers, string topic, string partition, string offset) =>
        Text(headers, topic) is { } t && Text(headers, partition) is { } p && Text(headers, offset) is { } o ? $"{t}[{p}]@{o}" : null;
}
