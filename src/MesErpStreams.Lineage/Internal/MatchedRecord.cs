using Confluent.Kafka;

namespace MesErpStreams.Lineage.Internal;

/// <summary>A record that belongs to the traced event, as read (value bytes undecoded).</summary>
internal sealed record MatchedRecord(LineageTopic Topic, int Partition, long Offset, DateTimeOffset Timestamp, string? Key, Headers Headers, byte[]? Value)
{
    /// <summary><c>topic[partition]@offset</c>.</summary>
    public string Position => $"{Topic.Name}[{Partition}]@{Offset}";
}
