using System.Text;
using Confluent.Kafka;

namespace MesErpStreams.Replay.Internal;

/// <summary>The record filters of a replay (reason, failure class, key, time). Returns the record's reason label when it matches.</summary>
internal sealed class RecordFilter(ReplayOptions o)
{
    private readonly HashSet<string> _reasons = new(o.Reasons, StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _classes = new(o.FailureClasses, StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _keys = new(o.Keys, StringComparer.Ordinal);

    /// <summary>The reason label (reason, failure class or "-") when the record passes every filter, else null.</summary>
    public string? Matches(Message<byte[], byte[]> m)
    {
        var reason = Header(m.Headers, ReplayHeaders.Reason);
        var failureClass = Header(m.Headers, ReplayHeaders.FailureClass);
        if (_reasons.Count > 0 && (reason is null || !_reasons.Contains(reason)))
        {
            return null;
        }

        if (_classes.Count > 0 && (failureClass is null || !_classes.Contains(failureClass)))
        {
            return null;
        }

        if (_keys.Count > 0 && (m.Key is null || !_keys.Contains(Encoding.UTF8.GetString(m.Key))))
        {
            return null;
        }

        var ts = m.Timestamp.UnixTimestampMs;
        if ((o.Since is { } since && ts < since.ToUnixTimeMilliseconds()) || (o.Until is { } until && ts >= until.ToUnixTimeMilliseconds()))
        {
            return null;
        }

        return reason ?? failureClass ?? "-";
    }

    /// <summary>Where a dead letter came from: the processor's source-topic header, else the sink's original-topic header.</summary>
    public static string? Origin(Headers headers) => Header(headers, ReplayHeaders.SourceTopic) ?? Header(headers, ReplayHeaders.OriginalTopic);

    private static string? Header(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var b) && b is not null ? Encoding.UTF8.GetString(b) : null;
}
