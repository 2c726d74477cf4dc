using Confluent.Kafka;
using MesErpStreams.Streams.Internal;

namespace MesErpStreams.Streams.TestUtils.Internal;

/// <summary>Keeps everything the task writes, per topic, in memory.</summary>
internal sealed class DriverCollector : IRecordCollector
{
    private readonly Dictionary<(string Topic, int Partition), long> _changelogNext = [];

    public Dictionary<string, List<TestRecord>> Topics { get; } = [];

    public Dictionary<string, int> ReadPositions { get; } = [];

    public void Send(string topic, byte[]? key, byte[]? value, Headers? headers, long timestampMs) =>
        Append(topic, 0, key, value, headers, timestampMs);

    public void SendChangelog(string topic, int partition, byte[] key, byte[]? value, bool reportDelivery = true)
    {
        var offset = Append(topic, partition, key, value, null, 0);
        _changelogNext[(topic, partition)] = offset + 1;
    }

    public long? TakeChangelogNextOffset(string topic, int partition) =>
        _changelogNext.Remove((topic, partition), out var next) ? next : null;

    public List<TestRecord> Topic(string topic)
    {
        if (!Topics.TryGetValue(topic, out var list))
        {
            Topics[topic] = list = [];
        }

        return list;
    }

    private long Append(string topic, int partition, byte[]? key, byte[]? value, Headers? headers, long timestampMs)
    {
        var list = Topic(topic);
        list.Add(new TestRecord(topic, partition, list.Count, key, value, headers, DateTimeOffset.FromUnixTimeMilliseconds(timestampMs)));
        return list.Count - 1;
    }
}
