using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Streams;

namespace MesErpStreams.Pipeline.Internal;

/// <summary>The waiting part of <see cref="MesEventProcessor"/>: pending store, release and timeout.</summary>
internal sealed partial class MesEventProcessor
{
    private void AddPending(MesEvent e, Record<string, MesEvent> record, RecordOrigin origin, string? waitingFor)
    {
        var payload = EventCodec.Encode(e, out var fingerprint);
        var p = new PendingEvent
        {
            Kind = (int)e.Kind,
            Sequence = _index.NextSequence,
            ArrivedAtMs = _context.WallClockTime.ToUnixTimeMilliseconds(),
            WaitingFor = waitingFor,
            SourceTopic = origin.Topic,
            SourcePartition = origin.Partition,
            SourceOffset = origin.Offset,
            Key = e.OrderingKey,
            TimestampMs = record.Timestamp.ToUnixTimeMilliseconds(),
            PayloadSchemaFingerprint = fingerprint,
            Payload = payload,
        };
        _pending.Put(p.StoreKey, p);
        _index.Add(p);
        _oldestArrivalMs ??= p.ArrivedAtMs;
        PipelineMetrics.Pending.Add(1);
        PipelineMetrics.Events.Add(1, PipelineMetrics.Tags(e, "pending"));
    }

    /// <summary>A master-data record changed: retry the chains whose head waits for it.</summary>
    private void Release(string masterKey)
    {
        foreach (var orderingKey in _index.TakeWaiters(masterKey).ToArray())
        {
            Drain(orderingKey, expireBeforeMs: null);
        }
    }

    /// <summary>
    /// Wall-clock punctuation: retries every waiting chain, dead-lettering heads that waited too long. Retrying all of
    /// them, not only the expired ones, releases events whose master data arrived while no instance of this task was
    /// subscribed to the table (the task was moving to another instance, or every processor was down): the
    /// notification that <see cref="Release"/> acts on is gone then, and without this they would wait for the timeout.
    /// </summary>
    private void RecheckPending(DateTimeOffset now)
    {
        var deadline = now.ToUnixTimeMilliseconds() - (long)options.PendingTimeout.TotalMilliseconds;
        foreach (var orderingKey in _index.OrderingKeys.ToArray())
        {
            Drain(orderingKey, deadline);
        }

        _oldestArrivalMs = _index.OldestArrivalMs();
    }

    /// <summary>
    /// Processes a chain from its head until an event still waits. With <paramref name="expireBeforeMs"/>, a head that
    /// still misses master data and arrived before it is dead-lettered with MASTER_DATA_MISSING instead of waiting.
    /// </summary>
    private void Drain(string orderingKey, long? expireBeforeMs)
    {
        while (_index.Head(orderingKey) is { } head)
        {
            var e = EventCodec.Decode(head);
            var origin = new RecordOrigin(head.SourceTopic, head.SourcePartition, head.SourceOffset);
            var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(head.TimestampMs);
            var outcome = CommandMapper.Map(e, _masterData, _context.WallClockTime, _mapping);
            if (outcome.MissingMasterData is { } missing)
            {
                if (expireBeforeMs is { } deadline && head.ArrivedAtMs <= deadline)
                {
                    _dedupe.Delete(e.EventId.ToString("N"));
                    DeadLetter(e, head.Key, timestamp, origin, RejectReasons.MasterDataMissing,
                        $"{missing} did not arrive within {options.PendingTimeout}");
                    Forget(head);
                    continue;
                }

                var updated = head;
                if (head.WaitingFor != missing)
                {
                    updated = head with { WaitingFor = missing };
                    _pending.Put(updated.StoreKey, updated);
                }

                _index.UpdateHead(head, updated); // (re-)register: a release consumed the previous registration
                return;
            }

            Complete(e, head.Key, timestamp, origin, outcome, pendingRecord: null);
            Forget(head);
        }
    }

    private void Forget(PendingEvent head)
    {
        _pending.Delete(head.StoreKey);
        _index.RemoveHead(head);
        PipelineMetrics.Pending.Add(-1);
        PipelineMetrics.PendingWait.Record((_context.WallClockTime.ToUnixTimeMilliseconds() - head.ArrivedAtMs) / 1000.0);
        if (_index.Count == 0)
        {
            _oldestArrivalMs = null;
        }
    }
}
