using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>
/// Sends task output through the instance's single producer. Begins the transaction lazily on the first send,
/// remembers the first delivery error (so the commit aborts instead of committing over a hole) and the last
/// delivered offset per changelog partition (the next checkpoint).
/// </summary>
internal sealed class KafkaCollector : IRecordCollector
{
    private IProducer<byte[], byte[]> _producer;
    private readonly Action _beforeSend;
    private readonly ILogger _logger;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Topic, int Partition), long> _changelogNext = [];
    private Error? _firstError;

    private readonly IReadOnlySet<string> _changelogTopics;

    // Transactional outputs need no per-message report: a failed delivery makes librdkafka fail the transaction
    // commit (abortable), which aborts and rewinds. Changelog records keep theirs for the checkpoint offsets.
    private readonly bool _transactional;

    public KafkaCollector(IProducer<byte[], byte[]> producer, IReadOnlySet<string> changelogTopics, Action beforeSend, ILogger logger, bool transactional)
    {
        _transactional = transactional;
        _changelogTopics = changelogTopics;
        _producer = producer;
        _beforeSend = beforeSend;
        _logger = logger;
        _onDelivery = OnDelivery;
    }

    public Error? FirstDeliveryError
    {
        get
        {
            lock (_gate)
            {
                return _firstError;
            }
        }
    }

    public void Send(string topic, byte[]? key, byte[]? value, Headers? headers, long timestampMs) =>
        Produce(new TopicPartition(topic, Partition.Any), key, value, headers, timestampMs, _transactional ? null : _onDelivery);

    public void SendChangelog(string topic, int partition, byte[] key, byte[]? value, bool reportDelivery = true) =>
        Produce(new TopicPartition(topic, partition), key, value, null, 0, reportDelivery || !_transactional ? _onDelivery : null);

    public long? TakeChangelogNextOffset(string topic, int partition)
    {
        lock (_gate)
        {
            return _changelogNext.Remove((topic, partition), out var next) ? next : null;
        }
    }

    /// <summary>Sends through <paramref name="producer"/> from now on (the replacement of a fenced producer).</summary>
    public void Use(IProducer<byte[], byte[]> producer) => _producer = producer;

    /// <summary>Forgets delivery state of an aborted (or failed at-least-once) batch.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _firstError = null;
            _changelogNext.Clear();
        }
    }

    private void Produce(TopicPartition tp, byte[]? key, byte[]? value, Headers? headers, long timestampMs, Action<DeliveryReport<byte[], byte[]>>? onDelivery)
    {
        _beforeSend();
        var message = new Message<byte[], byte[]>
        {
            Key = key!,
            Value = value!,
            Headers = headers,
            Timestamp = timestampMs > 0 ? new Timestamp(timestampMs, TimestampType.CreateTime) : Timestamp.Default,
        };
        while (true)
        {
            try
            {
                _producer.Produce(tp, message, onDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: serve delivery reports until the local queue has room.
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            lock (_gate)
            {
                _firstError ??= report.Error;
            }

            _logger.LogWarning("Delivery to {Topic}[{Partition}] failed: {Reason}", report.Topic, report.Partition.Value, report.Error.Reason);
            return;
        }

        if (_changelogTopics.Contains(report.Topic))
        {
            lock (_gate)
            {
                var key = (report.Topic, report.Partition.Value);
                var next = report.Offset.Value + 1;
                if (!_changelogNext.TryGetValue(key, out var current) || current < next)
                {
                    _changelogNext[key] = next;
                }
            }
        }
    }
}
