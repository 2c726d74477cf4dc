using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using MesErpStreams.Observability.Internal;

namespace MesErpStreams.Observability;

/// <summary>
/// Consumer lag per group, topic and partition, in records and in seconds, published as observable gauges on the
/// meter <see cref="MeterName"/>: <c>meserpstreams_consumer_meserp_consumer_lag_records{group,topic,partition}</c> and
/// <c>meserpstreams_consumer_meserp_consumer_lag{group,topic,partition}</c>.
/// </summary>
/// <remarks>
/// Lag in records = end of partition (high watermark) − position. Lag in seconds = now − timestamp of the last consumed
/// record while records are waiting (0 when caught up): how far behind real time this consumer works. Call
/// <see cref="Consumed"/> for every record (no allocation after a partition's first record) and
/// <see cref="Refresh{TKey,TValue}"/> periodically from the consumer's thread (it uses the client's cached watermarks,
/// no broker round trip; set <c>statistics.interval.ms</c> so librdkafka keeps them fresh).
/// The streams runtime feeds one with its application id as the group.
/// </remarks>
public sealed class ConsumerLagMonitor : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "MesErpStreams.Consumer";

    private readonly ConcurrentDictionary<(string Topic, int Partition), LagCell> _cells = new();
    private readonly string _group;
    private readonly TimeProvider _time;
    private readonly Meter _meter;

    /// <summary>Creates the monitor and its gauges.</summary>
    /// <param name="groupId">Consumer group id (label <c>group</c>).</param>
    /// <param name="timeProvider">Clock for lag in seconds; default system clock.</param>
    public ConsumerLagMonitor(string groupId, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        _group = groupId;
        _time = timeProvider ?? TimeProvider.System;
        _meter = new Meter(MeterName);
        _meter.CreateObservableGauge("meserp.consumer.lag.records", ObserveRecords, "{record}", "Records between the consumer position and the end of the partition");
        _meter.CreateObservableGauge("meserp.consumer.lag", ObserveSeconds, "s", "Age of the last consumed record while records are waiting (0 when caught up)");
    }

    /// <summary>Notes a consumed record (call after the record's work is done).</summary>
    public void Consumed(string topic, int partition, long offset, DateTimeOffset timestamp)
    {
        var cell = Cell(topic, partition);
        Volatile.Write(ref cell.Position, offset + 1);
        Volatile.Write(ref cell.TimestampMs, timestamp.ToUnixTimeMilliseconds());
        if (offset + 1 > Volatile.Read(ref cell.End))
        {
            Volatile.Write(ref cell.End, offset + 1);
        }
    }

    /// <summary>Sets the end offset (high watermark) of a partition.</summary>
    public void SetEndOffset(string topic, int partition, long endOffset) => Volatile.Write(ref Cell(topic, partition).End, endOffset);

    /// <summary>Reads position and cached watermarks of every assigned partition; drops partitions no longer assigned.</summary>
    public void Refresh<TKey, TValue>(IConsumer<TKey, TValue> consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var assigned = consumer.Assignment;
        foreach (var tp in assigned)
        {
            var cell = Cell(tp.Topic, tp.Partition.Value);
            var high = consumer.GetWatermarkOffsets(tp).High;
            if (high != Offset.Unset)
            {
                Volatile.Write(ref cell.End, high.Value);
            }

            var position = consumer.Position(tp);
            if (position != Offset.Unset && position.Value >= 0)
            {
                Volatile.Write(ref cell.Position, position.Value);
            }
        }

        foreach (var key in _cells.Keys)
        {
            if (!assigned.Exists(tp => tp.Topic == key.Topic && tp.Partition.Value == key.Partition))
            {
                _cells.TryRemove(key, out _);
            }
        }
    }

    /// <summary>The partitions currently reported (for a caller that refreshes their end offsets itself).</summary>
    public IReadOnlyList<(string Topic, int Partition)> Partitions => [.. _cells.Keys];

    /// <summary>Stops reporting a partition (e.g. on revocation).</summary>
    public void Remove(string topic, int partition) => _cells.TryRemove((topic, partition), out _);

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();

    private LagCell Cell(string topic, int partition) =>
        _cells.TryGetValue((topic, partition), out var cell) ? cell : _cells.GetOrAdd((topic, partition), _ => new LagCell());

    private IEnumerable<Measurement<long>> ObserveRecords()
    {
        foreach (var ((topic, partition), cell) in _cells)
        {
            if (cell.Known)
            {
                yield return new Measurement<long>(cell.Lag, Tags(topic, partition));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveSeconds()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var ((topic, partition), cell) in _cells)
        {
            if (cell.Known)
            {
                var ts = Volatile.Read(ref cell.TimestampMs);
                var seconds = cell.Lag > 0 && ts > 0 ? Math.Max(0, now - ts) / 1000.0 : 0;
                yield return new Measurement<double>(seconds, Tags(topic, partition));
            }
        }
    }

    private KeyValuePair<string, object?>[] Tags(string topic, int partition) =>
        [new("group", _group), new("topic", topic), new("partition", partition)];
}
