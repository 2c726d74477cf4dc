using Confluent.Kafka;

namespace MesErpStreams.Streams.Internal;

/// <summary>Where a task's serialized output goes: the transactional producer at runtime, memory in the test driver.</summary>
internal interface IRecordCollector
{
    void Send(string topic, byte[]? key, byte[]? value, Headers? headers, long timestampMs);

    void SendChangelog(string topic, int partition, byte[] key, byte[]? value, bool reportDelivery = true);

    /// <summary>Next offset after the last changelog record this collector wrote to the partition, if any since the last call.</summary>
    long? TakeChangelogNextOffset(string topic, int partition);
}
