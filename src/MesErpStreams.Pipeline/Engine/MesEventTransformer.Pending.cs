using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Pipeline.Internal;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>The waiting part of <see cref="MesEventTransformer"/>: pending store, release and timeout.</summary>
internal sealed partial class MesEventTransformer
{
    /// <summary>
    /// The pending payload is the record value as consumed (wire format), so a dead letter after the wait carries the
    /// original bytes; the fingerprint field says so.
    /// </summary>
    internal const long RecordValueFingerprint = 0;

    private void AddPending(MesEvent e, byte[] value, long timestampMs, Origin origin, string? waitingFor)
    {
        var p = new PendingEvent
        {
            Kind = (int)e.Kind,
            Sequence = _index.NextSequence,
            ArrivedAtMs = _context.WallClockTime,
            WaitingFor = waitingFor,
            SourceTopic = origin.Topic,
            SourcePartition = origin.Partition,
            SourceOffset = origin.Offset,
            Key = e.OrderingKey,
            TimestampMs = timestampMs,
            PayloadSchemaFingerprint = RecordValueFingerprint,
            Payload = value,
        };
        _pending.Put(p.StoreKey, p);
        _index.Add(p);
        if (waitingFor is not null)
        {
            LogWaiting(e, p.Key, waitingFor);
        }

        _oldestArrivalMs ??= p.ArrivedAtMs;
        PipelineMetrics.Pending.Add(1);
        PipelineMetrics.Events.Add(1, PipelineMetrics.Tags(e, "pending"));
    }

    /// <summary>Whether this task's punctuations may act (see <see cref="EngineSettings.InstanceRunning"/>).</summary>
    private bool Restored => _processed || _settings.InstanceRunning();

    /// <summary>
    /// Fast punctuation: releases the chains whose head waits for master data that is now in its global table. One
    /// table lookup per distinct master-data key waited for, so it stays cheap however many events wait.
    /// </summary>
    private void ReleaseArrived(long nowMs)
    {
        EnsureIndexed();
        var arrived = _index.MasterKeysWaitedFor.Where(_masterData.Contains).ToList();
        foreach (var masterKey in arrived)
        {
            foreach (var orderingKey in _index.TakeWaiters(masterKey).ToArray())
            {
                Drain(orderingKey, expireBeforeMs: null);
            }
        }

        if (arrived.Count > 0)
        {
            _oldestArrivalMs = _index.OldestArrivalMs();
        }
    }

    /// <summary>
    /// Slow punctuation: rebuilds the index from the store (it converges on whatever the store holds, also after a
    /// restoration the fast punctuation raced), retries every chain, and dead-letters heads that waited longer than
    /// the pending timeout with MASTER_DATA_MISSING.
    /// </summary>
    private void RecheckPending(long nowMs)
    {
        RebuildIndex();
        var deadline = nowMs - (long)_options.PendingTimeout.TotalMilliseconds;
        var longWait = nowMs - (long)LongWait.TotalMilliseconds;
        foreach (var orderingKey in _index.OrderingKeys.ToArray())
        {
            Drain(orderingKey, deadline);
            if (_index.Head(orderingKey) is { WaitingFor: { } missing } head && head.ArrivedAtMs <= longWait)
            {
                LogStillWaiting(head, missing, nowMs);
            }
        }

        _oldestArrivalMs = _index.OldestArrivalMs();
    }

    private void EnsureIndexed()
    {
        if (!_indexed)
        {
            RebuildIndex();
        }
    }

    private void RebuildIndex()
    {
        PipelineMetrics.Pending.Add(-_index.Count);
        _index.Clear();
        foreach (var entry in _pending.All())
        {
            _index.Add(entry.Value);
        }

        PipelineMetrics.Pending.Add(_index.Count);
        _oldestArrivalMs = _index.OldestArrivalMs();
        _indexed = true;
    }

    /// <summary>
    /// Processes a chain from its head until an event still waits. With <paramref name="expireBeforeMs"/>, a head that
    /// still misses master data and arrived before it is dead-lettered with MASTER_DATA_MISSING instead of waiting.
    /// </summary>
    private void Drain(string orderingKey, long? expireBeforeMs)
    {
        var released = 0;
        long waitedMs = 0;
        while (_index.Head(orderingKey) is { } head)
        {
            var origin = new Origin(head.SourceTopic, head.SourcePartition, head.SourceOffset);
            var e = WithTransientRetry(() => _decoder.Decode(head.SourceTopic, head.Payload, null));
            var value = head.Payload;
            var outcome = CommandMapper.Map(e, _masterData, DateTimeOffset.FromUnixTimeMilliseconds(_context.WallClockTime), _options.Mapping);
            if (outcome.MissingMasterData is { } missing)
            {
                if (expireBeforeMs is { } deadline && head.ArrivedAtMs <= deadline)
                {
                    Forget(DedupeKey(e));
                    var detail = $"{missing} did not arrive within {_options.PendingTimeout}";
                    if (_masterData.LastDecodeFailure is { } failure)
                    {
                        detail += $" (last undecodable master data: {failure})";
                    }

                    DeadLetter(e, head.Key, value, head.TimestampMs, origin, RejectReasons.MasterDataMissing, detail);
                    Remove(head);
                    continue;
                }

                var updated = head;
                if (head.WaitingFor != missing)
                {
                    updated = head with { WaitingFor = missing };
                    _pending.Put(updated.StoreKey, updated);
                }

                _index.UpdateHead(head, updated); // (re-)register: a release consumed the previous registration
                LogReleased(orderingKey, released, waitedMs);
                return;
            }

            Complete(e, head.Key, value, head.TimestampMs, origin, outcome);
            Remove(head);
            waitedMs = released++ == 0 ? _context.WallClockTime - head.ArrivedAtMs : waitedMs;
        }

        LogReleased(orderingKey, released, waitedMs);
    }

    private void Remove(PendingEvent head)
    {
        _pending.Delete(head.StoreKey);
        _index.RemoveHead(head);
        PipelineMetrics.Pending.Add(-1);
        PipelineMetrics.PendingWait.Record((_context.WallClockTime - head.ArrivedAtMs) / 1000.0);
        if (_index.Count == 0)
        {
            _oldestArrivalMs = null;
        }
    }
}
