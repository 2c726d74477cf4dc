using MesErpStreams.Avro;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Pipeline.Internal;

/// <summary>
/// An event waiting for master data (or behind an earlier waiting event of its key), as kept in the persistent
/// <c>pending</c> store and its changelog.
/// </summary>
internal sealed record PendingEvent
{
    internal static readonly Schema Schema = Schema.Parse("""
        {"type":"record","name":"PendingEvent","namespace":"com.meserp.pipeline.internal",
         "doc":"An MES event waiting for master data; value of the processor's pending store.",
         "fields":[
          {"name":"kind","type":"int","doc":"EventKind ordinal"},
          {"name":"sequence","type":"long","doc":"arrival order within the task"},
          {"name":"arrivedAtMs","type":"long"},
          {"name":"waitingFor","type":["null","string"],"default":null,"doc":"master-data key, or null when waiting behind an earlier event"},
          {"name":"sourceTopic","type":"string"},
          {"name":"sourcePartition","type":"int"},
          {"name":"sourceOffset","type":"long"},
          {"name":"key","type":"string"},
          {"name":"timestampMs","type":"long"},
          {"name":"payloadSchemaFingerprint","type":"long"},
          {"name":"payload","type":"bytes","doc":"the event, Avro binary in its contract schema"}
         ]}
        """);

    public required int Kind { get; init; }

    public required long Sequence { get; init; }

    public required long ArrivedAtMs { get; init; }

    public string? WaitingFor { get; init; }

    public required string SourceTopic { get; init; }

    public required int SourcePartition { get; init; }

    public required long SourceOffset { get; init; }

    public required string Key { get; init; }

    public required long TimestampMs { get; init; }

    public required long PayloadSchemaFingerprint { get; init; }

    public required byte[] Payload { get; init; }

    public EventKind EventKind => (EventKind)Kind;

    /// <summary>Store key: the ordering key (<see cref="Key"/>) plus the arrival sequence, so one key's events sort in arrival order.</summary>
    public string StoreKey => StoreKeyOf(Key, Sequence);

    internal static string StoreKeyOf(string orderingKey, long sequence) => string.Concat(orderingKey, "|", sequence.ToString("D19", System.Globalization.CultureInfo.InvariantCulture));
}
