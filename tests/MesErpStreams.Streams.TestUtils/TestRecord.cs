using Confluent.Kafka;

namespace MesErpStreams.Streams.TestUtils;

/// <summary>A record written to a topic inside the driver, as bytes (what a consumer of the topic would see).</summary>
/// <param name="Topic">Topic written to.</param>
/// <param name="Partition">Partition (changelog records: the task partition; others: 0).</param>
/// <param name="Offset">Offset within the driver's copy of the topic.</param>
/// <param name="Key">Key bytes.</param>
/// <param name="Value">Value bytes (null = tombstone).</param>
/// <param name="Headers">Headers.</param>
/// <param name="Timestamp">Record timestamp.</param>
public sealed record TestRecord(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, Headers? Headers, DateTimeOffset Timestamp)
{
    /// <summary>A header value as UTF-8 text, or null when absent.</summary>
    public string? Header(string name) =>
        Headers is not null && Headers.TryGetLastBytes(name, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;
}
