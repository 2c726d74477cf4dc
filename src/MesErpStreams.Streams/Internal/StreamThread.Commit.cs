using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>
/// Commit and abort. Exactly-once: changelogs flushed, offsets sent with the consumer's group metadata (EOS v2
/// fencing by group generation), transaction committed, and only then local stores updated. An abortable failure
/// aborts, forgets the transaction's store writes and seeks every partition back to its first uncommitted record.
/// </summary>
internal sealed partial class StreamThread
{
    internal static bool IsFatal(KafkaException ex) =>
        ex.Error.IsFatal
        || ex.Error.Code is ErrorCode.Local_Fenced or ErrorCode.Local_Fatal or ErrorCode.InvalidProducerEpoch
            or ErrorCode.TransactionalIdAuthorizationFailed or ErrorCode.TopicAuthorizationFailed
            or ErrorCode.GroupAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed;

    private void CommitOrAbort(string reason)
    {
        if (_uncommitted == 0 && !_transactionOpen && _tasks.Values.All(t => t.DirtyEntries == 0))
        {
            _lastCommit = Stopwatch.GetTimestamp();
            return;
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            foreach (var task in _tasks.Values)
            {
                task.FlushStores();
            }

            var offsets = _nextOffsets.Select(kv => new TopicPartitionOffset(kv.Key, kv.Value)).ToList();
            if (_exactlyOnce)
            {
                BeginTransactionIfNeeded();
                if (offsets.Count > 0)
                {
                    Retry(() => _producer.SendOffsetsToTransaction(offsets, _consumer.ConsumerGroupMetadata, _options.OperationTimeout));
                }

                Retry(() => _producer.CommitTransaction(_options.OperationTimeout));
            }
            else
            {
                FlushProducer();
                if (offsets.Count > 0)
                {
                    _consumer.Commit(offsets);
                }
            }

            _transactionOpen = false;
            foreach (var task in _tasks.Values)
            {
                task.CommitCompleted();
            }

            _transactionStart.Clear();
            _nextOffsets.Clear();
            _uncommitted = 0;
            _metrics.Committed();
            _metrics.CommitTime(start);
        }
        catch (KafkaException ex) when (!IsFatal(ex))
        {
            _logger.LogWarning("Commit ({Reason}) failed with {Code} ({Message}); aborting and rewinding to the last committed offsets",
                reason, ex.Error.Code, ex.Error.Reason);
            AbortAndRewind(seek: !_closing);
        }

        _lastCommit = Stopwatch.GetTimestamp();
    }

    private void FlushProducer()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.OperationTimeout.TotalSeconds * Stopwatch.Frequency);
        while (_producer.Flush(TimeSpan.FromMilliseconds(500)) > 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new KafkaException(new Error(ErrorCode.Local_TimedOut, "producer flush timed out"));
            }
        }

        if (_collector.FirstDeliveryError is { } error)
        {
            throw new KafkaException(error);
        }
    }

    private static void Retry(Action operation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                operation();
                return;
            }
            catch (KafkaRetriableException) when (attempt < 3)
            {
                // librdkafka allows repeating a transactional call that failed with a retriable error.
            }
        }
    }

    /// <summary>Aborts the open transaction; with <paramref name="seek"/>, rewinds partitions so nothing is skipped.</summary>
    private void AbortAndRewind(bool seek)
    {
        if (_exactlyOnce && _transactionOpen)
        {
            Retry(() => _producer.AbortTransaction(_options.OperationTimeout));
        }

        _transactionOpen = false;
        foreach (var task in _tasks.Values)
        {
            task.Abort();
        }

        if (seek)
        {
            var assigned = _consumer.Assignment.ToHashSet();
            foreach (var (tp, offset) in _transactionStart)
            {
                if (assigned.Contains(tp))
                {
                    // A failed seek would skip input: let it escalate (fatal) rather than continue past it.
                    _consumer.Seek(new TopicPartitionOffset(tp, offset));
                }
            }

            RestartProcessors();
        }

        _transactionStart.Clear();
        _nextOffsets.Clear();
        _uncommitted = 0;
        _collector.Reset();
        _metrics.Aborted();
    }

    /// <summary>
    /// After an abort the stores are back at the last commit, but processors may hold in-memory state derived from
    /// what the aborted transaction did (the pipeline's index of waiting events): each initialised task is rebuilt
    /// with new processor instances over the same stores, as Kafka Streams re-initialises a corrupted task. Found by
    /// the fault suite: an event released in an aborted transaction was back in the pending store but gone from the
    /// index, so later events of its order overtook it.
    /// </summary>
    private void RestartProcessors()
    {
        foreach (var (partition, old) in _tasks.ToList())
        {
            if (!old.Initialized)
            {
                continue; // still restoring: its processors start after restoration anyway
            }

            old.Close();
            var fresh = NewTask(partition);
            fresh.ContinueStreamTime(old.StreamTimeMs);
            fresh.Initialize();
            _tasks[partition] = fresh;
        }
    }

    private void TryAbortAfterFatal()
    {
        try
        {
            if (_exactlyOnce && _transactionOpen && _producer is not null)
            {
                _producer.AbortTransaction(_options.OperationTimeout);
            }
        }
        catch (KafkaException ex)
        {
            _logger.LogWarning("Abort after fatal error failed ({Code}); the broker aborts the transaction at its timeout or when fenced", ex.Error.Code);
        }

        _transactionOpen = false;
        foreach (var task in _tasks.Values)
        {
            task.Abort();
        }
    }
}
