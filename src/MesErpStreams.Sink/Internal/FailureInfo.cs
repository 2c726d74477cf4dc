using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace MesErpStreams.Sink.Internal;

/// <summary>The failure history a retry record carries in its headers (<see cref="SinkHeaders"/>).</summary>
internal readonly record struct FailureInfo(int Attempts, DateTimeOffset? FirstFailureAt, string OriginalTopic, int OriginalPartition, long OriginalOffset)
{
    public static FailureInfo Read(ConsumeResult<string, byte[]> r)
    {
        var h = r.Message.Headers;
        return new FailureInfo(
            int.TryParse(Get(h, SinkHeaders.Attempts), CultureInfo.InvariantCulture, out var a) ? a : 0,
            DateTimeOffset.TryParse(Get(h, SinkHeaders.FirstFailureAt), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var f) ? f : null,
            Get(h, SinkHeaders.OriginalTopic) ?? r.Topic,
            int.TryParse(Get(h, SinkHeaders.OriginalPartition), CultureInfo.InvariantCulture, out var p) ? p : r.Partition.Value,
            long.TryParse(Get(h, SinkHeaders.OriginalOffset), CultureInfo.InvariantCulture, out var o) ? o : r.Offset.Value);
    }

    /// <summary>When a retry record is due; null when it has no due time (then it is due now).</summary>
    public static DateTimeOffset? DueAt(Headers? h) =>
        long.TryParse(Get(h, SinkHeaders.DueAt), CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static string? Get(Headers? h, string name) =>
        h is not null && h.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;

    /// <summary>The record's own headers without the sink's failure headers (which are rewritten), plus <paramref name="extra"/>.</summary>
    public static Headers Rewrite(Headers? original, params (string Key, string? Value)[] extra)
    {
        var h = new Headers();
        if (original is not null)
        {
            foreach (var x in original)
            {
                if (!x.Key.StartsWith("meserp.", StringComparison.Ordinal))
                {
                    h.Add(x.Key, x.GetValueBytes());
                }
            }
        }

        foreach (var (k, v) in extra)
        {
            if (v is not null)
            {
                h.Add(k, Encoding.UTF8.GetBytes(v));
            }
        }

        return h;
    }

    public (string, string?)[] OriginHeaders() =>
    [
        (SinkHeaders.OriginalTopic, OriginalTopic),
        (SinkHeaders.OriginalPartition, OriginalPartition.ToString(CultureInfo.InvariantCulture)),
        (SinkHeaders.OriginalOffset, OriginalOffset.ToString(CultureInfo.InvariantCulture)),
    ];
}
