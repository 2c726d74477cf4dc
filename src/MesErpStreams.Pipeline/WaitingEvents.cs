using Confluent.Kafka;
using MesErpStreams.Kafka;
using MesErpStreams.Kafka.Configuration;
using MesErpStreams.Pipeline.Engine;

namespace MesErpStreams.Pipeline;

/// <summary>An event a processor holds back, waiting for master data or behind an earlier event of its key.</summary>
/// <param name="EventId">The event's id, or null when its payload could not be decoded.</param>
/// <param name="EventType">ProductionConfirmation, ScrapReport, …</param>
/// <param name="OrderingKey">The key its events are ordered by (plant|order, or plant|material|batch for holds).</param>
/// <param name="WaitingFor">The master-data key the head of its key waits for (<c>work-order:…</c> or <c>material:…</c>).</param>
/// <param name="BehindEarlierEvent">True when the event itself needs nothing: it waits behind an earlier event of its key.</param>
/// <param name="Since">When it started waiting (the processor's wall clock).</param>
/// <param name="Task">The processor task that holds it (<c>0-N</c>, as Streamiz names it: partition N of the event topics).</param>
/// <param name="SourceTopic">Where it was consumed.</param>
/// <param name="SourcePartition">Partition it was consumed from.</param>
/// <param name="SourceOffset">Offset it was consumed at.</param>
/// <param name="ChangelogPartition">Partition of the pending store's changelog record that holds it (the task's partition).</param>
/// <param name="ChangelogOffset">Offset of that changelog record.</param>
public sealed record WaitingEvent(Guid? EventId, string EventType, string OrderingKey, string? WaitingFor, bool BehindEarlierEvent, DateTimeOffset Since, string Task,
    string SourceTopic, int SourcePartition, long SourceOffset, int ChangelogPartition, long ChangelogOffset);

/// <summary>
/// Reads which events a processor application holds back, from the changelog of its pending store (committed records
/// only, the latest value per key): what every instance's tasks will find after a restore, whichever instance owns
/// them. For <c>meserp trace</c> and the fault suite's verdict.
/// </summary>
public static class WaitingEvents
{
    /// <summary>The changelog topic of the pending store of <paramref name="applicationId"/>.</summary>
    public static string ChangelogTopic(string applicationId) => StreamizTopology.ChangelogTopic(applicationId, StreamizTopology.PendingStore);

    /// <summary>Reads the waiting events of <paramref name="applicationId"/>.</summary>
    /// <param name="kafka">Client settings.</param>
    /// <param name="applicationId">The processor's application id.</param>
    /// <param name="codecs">Decodes the waiting events' payloads (for their ids); registry serdes in production.</param>
    /// <param name="timeout">Bound of the read.</param>
    /// <returns>The waiting events in task and arrival order.</returns>
    /// <exception cref="KafkaException">The changelog topic does not exist.</exception>
    /// <exception cref="TimeoutException">The changelog was not read to its end within <paramref name="timeout"/>.</exception>
    public static IReadOnlyList<WaitingEvent> Read(KafkaClientOptions kafka, string applicationId, PipelineCodecs codecs, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(codecs);
        var latest = new Dictionary<(int Partition, string Key), (long Offset, byte[]? Value)>();
        var topic = ChangelogTopic(applicationId);
        var complete = TopicReading.ReadToEnd(kafka, topic, null, IsolationLevel.ReadCommitted, timeout, r =>
            latest[(r.Partition.Value, System.Text.Encoding.UTF8.GetString(r.Message.Key ?? []))] = (r.Offset.Value, r.Message.Value));
        if (!complete)
        {
            throw new TimeoutException($"{topic} was not read to its end within {timeout}");
        }

        var serdes = new PendingSerDes();
        var decoder = new EventDecoder(codecs);
        var pending = latest.Where(kv => kv.Value.Value is not null)
            .Select(kv => (kv.Key.Partition, kv.Value.Offset, Event: serdes.Deserialize(kv.Value.Value!, default)))
            .OrderBy(x => x.Partition).ThenBy(x => x.Event.Key, StringComparer.Ordinal).ThenBy(x => x.Event.Sequence).ToList();
        var heads = pending.GroupBy(x => (x.Partition, x.Event.Key)).ToDictionary(g => g.Key, g => g.First().Event.WaitingFor);
        return pending.Select(x =>
        {
            var p = x.Event;
            Guid? id = null;
            try
            {
                id = decoder.Decode(p.SourceTopic, p.Payload, null).EventId;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Reported as an event without id: the payload is the record as consumed, which the processor decoded once.
            }

            return new WaitingEvent(id, p.EventKind.ToString(), p.Key, p.WaitingFor ?? heads[(x.Partition, p.Key)], p.WaitingFor is null,
                DateTimeOffset.FromUnixTimeMilliseconds(p.ArrivedAtMs), $"0-{x.Partition}", p.SourceTopic, p.SourcePartition, p.SourceOffset, x.Partition, x.Offset);
        }).ToList();
    }
}
