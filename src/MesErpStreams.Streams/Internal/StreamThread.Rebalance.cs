using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>Rebalance callbacks (eager protocol). They run inside <c>Consume</c> on the stream loop.</summary>
internal sealed partial class StreamThread
{
    private void OnAssigned(List<TopicPartition> partitions)
    {
        foreach (var partition in partitions.Select(p => p.Partition.Value).Distinct())
        {
            if (_tasks.ContainsKey(partition))
            {
                continue;
            }

            // Processors are initialised only once their stores are restored (as Kafka Streams does): an index a
            // processor builds from its store in Init must see the restored state. Initialising before restoring
            // let a moved task forget what waited for master data, so later events of those orders overtook it
            // (found by the fault suite: 248 order violations in one run).
            var task = NewTask(partition);
            _tasks[partition] = task;
            if (_restorer.Start(task))
            {
                _toPause.AddRange(partitions.Where(p => p.Partition.Value == partition));
            }
            else
            {
                task.Initialize();
            }
        }

        _logger.LogInformation("Instance {Instance} assigned {Partitions}", InstanceId, string.Join(", ", partitions));
    }

    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        if (!_fatal && _fatalClientError is null)
        {
            // Finish the open transaction while the partitions (and the group generation) are still ours.
            var wasClosing = _closing;
            _closing = true;
            try
            {
                CommitOrAbort("rebalance");
            }
            catch (KafkaException ex) when (_exactlyOnce && IsFenced(ex.Error))
            {
                // The transaction is lost; the partitions go to their next owner at their committed offsets.
                RecoverFromFencing(ex.Error, seek: false);
            }
            finally
            {
                _closing = wasClosing;
            }
        }
        else
        {
            TryAbortAfterFatal();
        }

        CloseTasks(partitions.Select(p => p.TopicPartition));
        _logger.LogInformation("Instance {Instance} revoked {Partitions}", InstanceId, string.Join(", ", partitions.Select(p => p.TopicPartition)));
    }

    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        // Another member may own these partitions already: never commit, just drop the transaction.
        _logger.LogWarning("Instance {Instance} lost {Partitions}; aborting the open transaction", InstanceId, string.Join(", ", partitions.Select(p => p.TopicPartition)));
        try
        {
            AbortAndRewind(seek: false);
        }
        catch (KafkaException ex) when (_exactlyOnce && IsFenced(ex.Error))
        {
            RecoverFromFencing(ex.Error, seek: false);
        }
        catch (KafkaException ex) when (!IsFatal(ex))
        {
            _logger.LogWarning("Abort after losing partitions failed ({Code})", ex.Error.Code);
        }

        CloseTasks(partitions.Select(p => p.TopicPartition));
    }

    /// <summary>The task of <paramref name="partition"/> over this instance's stores, its processors not yet initialised.</summary>
    private StreamTask NewTask(int partition) =>
        _topology.CreateTask(partition, _services, d => GetBytesStore(d, partition), logged: true, backgroundApply: true, initialize: false);

    private void CloseTasks(IEnumerable<TopicPartition> partitions)
    {
        foreach (var tp in partitions.ToList())
        {
            _transactionStart.Remove(tp);
            _nextOffsets.Remove(tp);
            _toPause.Remove(tp);
            _resumeAt.Remove(tp);
            if (_tasks.Remove(tp.Partition.Value, out var task))
            {
                task.Abort();
                task.Close();
                _restorer.Cancel(tp.Partition.Value);
            }
        }
    }

    private void OnTaskRestored(int partition)
    {
        if (_tasks.TryGetValue(partition, out var task))
        {
            task.Initialize();
        }

        var resume = _consumer.Assignment.Where(tp => tp.Partition.Value == partition).ToList();
        _toPause.RemoveAll(tp => tp.Partition.Value == partition);
        if (resume.Count == 0)
        {
            return;
        }

        // Position explicitly before resuming: a partition paused before its first fetch must not fall back to
        // auto.offset.reset. Start from the first record seen while restoring, else from the committed offset.
        var committed = _consumer.Committed(resume, _options.OperationTimeout).ToDictionary(c => c.TopicPartition, c => c.Offset);
        foreach (var tp in resume)
        {
            var offset = _resumeAt.Remove(tp, out var seen) ? new Offset(seen) : committed.GetValueOrDefault(tp, Offset.Unset);
            if (offset != Offset.Unset)
            {
                _consumer.Seek(new TopicPartitionOffset(tp, offset));
            }
        }

        _consumer.Resume(resume);
    }
}
