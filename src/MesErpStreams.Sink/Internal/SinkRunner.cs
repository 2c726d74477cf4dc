using System.Collections.Concurrent;
using Confluent.Kafka;
using MesErpStreams.Observability;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Sink.Internal;

/// <summary>
/// The consumer loop (one dedicated thread). Reads the command topic and the retry tiers in one group with the
/// range assignor, so partition p of every tier belongs to the same instance as partition p of the command topic
/// (the retry tiers must have the command topic's partition count; retry records are produced to the partition
/// they came from). Dispatches records to the <see cref="KeyedScheduler{T}"/>, holds retry records until due (their
/// partition paused, others flowing), pauses everything while the ERP circuit is open or too much is buffered, and
/// commits per partition only the contiguous prefix of offsets whose outcome is durable.
/// </summary>
internal sealed class SinkRunner(
    ErpSinkOptions options,
    IConsumer<string, byte[]> consumer,
    IProducer<string, byte[]> producer,
    KeyedScheduler<SinkWork> scheduler,
    ParkedKeys parked,
    ErpGate gate,
    Func<IConsumer<string, byte[]>> scannerFactory,
    ConsumerLagMonitor lag,
    TimeProvider time,
    ILogger log)
{
    /// <summary>Tries of <see cref="RebuildParkedKeys"/> before the worker gives up (and stops, visibly).</summary>
    internal const int MaxRebuildAttempts = 15;

    private readonly Dictionary<TopicPartition, PartitionOffsets> _offsets = [];
    private readonly Dictionary<TopicPartition, ConsumeResult<string, byte[]>> _held = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly ConcurrentQueue<TopicPartition> _due = new();
    private readonly Dictionary<string, int> _tierOf = BuildTiers(options);
    private Generation _generation = new();
    private bool _backlogPause;
    private Exception? _fatal;
    private int _assignedCount;

    /// <summary>Partitions (all topics) currently assigned.</summary>
    public int AssignedPartitions => Volatile.Read(ref _assignedCount);

    public void Fail(Exception e)
    {
        log.LogError(e, "sink worker failed; stopping without committing unfinished work");
        Interlocked.CompareExchange(ref _fatal, e, null);
    }

    /// <summary>Runs until <paramref name="stop"/> or a fatal error; then drains, commits what is durable and leaves the group.</summary>
    public void Run(CancellationToken stop)
    {
        consumer.Subscribe([options.CommandsTopic, .. options.RetryTopics]);
        var lastCommit = time.GetTimestamp();
        var lastLag = lastCommit;
        try
        {
            while (!stop.IsCancellationRequested && Volatile.Read(ref _fatal) is null)
            {
                while (_due.TryDequeue(out var tp))
                {
                    Release(tp);
                }

                ApplyPauses();
                if (time.GetElapsedTime(lastCommit) >= options.CommitInterval)
                {
                    Commit();
                    lastCommit = time.GetTimestamp();
                }

                if (time.GetElapsedTime(lastLag) >= TimeSpan.FromSeconds(1))
                {
                    lag.Refresh(consumer);
                    lastLag = time.GetTimestamp();
                }

                ConsumeResult<string, byte[]>? r;
                try
                {
                    r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    log.LogWarning("consume error (continuing): {Reason}", e.Error.Reason);
                    continue;
                }

                if (r is { IsPartitionEOF: false, Message: not null })
                {
                    Handle(r);
                }
            }
        }
        finally
        {
            var fatal = Volatile.Read(ref _fatal) is not null;
            Quiesce(commit: true, graceful: !fatal);
            try
            {
                consumer.Close();
                log.LogInformation("left the consumer group");
            }
            catch (KafkaException e)
            {
                log.LogWarning("consumer close failed: {Reason}", e.Error.Reason);
            }
        }

        if (Volatile.Read(ref _fatal) is { } f)
        {
            throw new InvalidOperationException($"ERP sink stopped after a fatal error: {f.Message}", f);
        }
    }

    public void OnAssigned(List<TopicPartition> partitions)
    {
        _generation = new Generation();
        foreach (var tp in partitions)
        {
            _offsets[tp] = new PartitionOffsets();
        }

        RebuildParkedKeys(partitions.Where(tp => _tierOf[tp.Topic] > 0).ToList());
        Volatile.Write(ref _assignedCount, partitions.Count);
        log.LogInformation("assigned {Count} partitions; {Parked} keys parked in retry tiers", partitions.Count, parked.KeyCount);
    }

    public void OnRevoked(bool commit) => Quiesce(commit, graceful: true);

    /// <summary>
    /// Reads which keys wait in the retry tiers, riding out a broker outage or a leader move meanwhile (up to
    /// <see cref="MaxRebuildAttempts"/> tries, about a minute): an error escaping the assignment callback used to stop
    /// the worker (found by the fault suite: "Not leader for partition" while partition leaders moved).
    /// </summary>
    private void RebuildParkedKeys(List<TopicPartition> retryPartitions)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                RetryTierScanner.Rebuild(consumer, scannerFactory, parked, _tierOf, retryPartitions, time);
                return;
            }
            catch (KafkaException e) when (!e.Error.IsFatal && attempt < MaxRebuildAttempts)
            {
                log.LogWarning("reading the commands waiting in the retry tiers failed ({Reason}); retrying (attempt {Attempt})", e.Error.Reason, attempt);
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(5000, 250 << Math.Min(attempt, 5))));
            }
        }
    }

    private void Handle(ConsumeResult<string, byte[]> r)
    {
        var tp = r.TopicPartition;
        if (!_offsets.ContainsKey(tp))
        {
            return; // not (or no longer) ours
        }

        lag.Consumed(r.Topic, r.Partition.Value, r.Offset.Value, r.Message.Timestamp.UtcDateTime);
        var tier = _tierOf[r.Topic];
        if (tier > 0 && FailureInfo.DueAt(r.Message.Headers) is { } due && due > time.GetUtcNow())
        {
            // The head of a retry partition is not due: later records of the partition are due even later.
            _held[tp] = r;
            _ = ReleaseLaterAsync(tp, due - time.GetUtcNow(), _generation.Stop.Token);
            return;
        }

        Dispatch(r, tier);
    }

    private void Dispatch(ConsumeResult<string, byte[]> r, int tier)
    {
        var offsets = _offsets[r.TopicPartition];
        offsets.Track(r.Offset.Value);
        scheduler.Enqueue(r.Message.Key ?? string.Empty, new SinkWork(r, tier, offsets, _generation.Stop.Token, _generation.Abort.Token));
    }

    private void Release(TopicPartition tp)
    {
        if (_held.Remove(tp, out var r))
        {
            Dispatch(r, _tierOf[tp.Topic]);
        }
    }

    private async Task ReleaseLaterAsync(TopicPartition tp, TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
            _due.Enqueue(tp);
        }
        catch (OperationCanceledException)
        {
            // revoked: the held record is read again by whoever owns the partition next
        }
    }

    private void ApplyPauses()
    {
        var pending = scheduler.Pending;
        if (pending >= options.MaxBufferedRecords)
        {
            _backlogPause = true;
        }
        else if (pending <= options.MaxBufferedRecords / 2)
        {
            _backlogPause = false;
        }

        // While the circuit is open the waiting postings probe the ERP; with none waiting (e.g. just after a
        // rebalance) records must flow so that one of them probes, or the sink would stay paused forever.
        var all = _backlogPause || (gate.IsOpen && pending > 0);
        var toPause = new List<TopicPartition>();
        foreach (var tp in _offsets.Keys)
        {
            if ((all || _held.ContainsKey(tp)) && _paused.Add(tp))
            {
                toPause.Add(tp);
            }
        }

        var toResume = _paused.Where(tp => !all && !_held.ContainsKey(tp)).ToList();
        if (toPause.Count > 0 || toResume.Count > 0)
        {
            log.LogDebug("pause {Pause} resume {Resume} (backlog {Backlog}, circuit open {Open}, pending {Pending})", toPause.Count, toResume.Count, _backlogPause, gate.IsOpen, pending);
        }

        if (toPause.Count > 0)
        {
            consumer.Pause(toPause);
        }

        if (toResume.Count > 0)
        {
            _paused.ExceptWith(toResume);
            consumer.Resume(toResume);
        }
    }

    private void Commit()
    {
        var list = new List<TopicPartitionOffset>();
        foreach (var (tp, offsets) in _offsets)
        {
            if (offsets.Committable() is { } c)
            {
                list.Add(new TopicPartitionOffset(tp, c));
            }
        }

        if (list.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(list);
            foreach (var tpo in list)
            {
                _offsets[tpo.TopicPartition].MarkCommitted(tpo.Offset.Value);
            }
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            log.LogWarning("offset commit failed (retried at the next interval): {Reason}", e.Error.Reason);
        }
    }

    private void Quiesce(bool commit, bool graceful)
    {
        if (_offsets.Count == 0)
        {
            return;
        }

        // Records not started are dropped (read again later); started ones finish unless the ERP is down.
        _generation.Stop.Cancel();
        if (!graceful || gate.IsOpen || !scheduler.WaitIdle(options.DrainTimeout))
        {
            _generation.Abort.Cancel();
            if (!scheduler.WaitIdle(TimeSpan.FromSeconds(10)))
            {
                log.LogWarning("in-flight postings did not stop in time; their offsets stay uncommitted");
            }
        }

        producer.Flush(options.DrainTimeout);
        if (commit)
        {
            Commit();
        }

        if (_paused.Count > 0)
        {
            // librdkafka keeps a partition's pause flag across re-assignment: lift ours, or a partition this
            // worker gets back would stay paused while _paused says it is not.
            try
            {
                consumer.Resume(_paused);
            }
            catch (KafkaException e)
            {
                log.LogWarning("resuming partitions on revoke failed: {Reason}", e.Error.Reason);
            }
        }

        Volatile.Write(ref _assignedCount, 0);
        _offsets.Clear();
        _held.Clear();
        _paused.Clear();
        parked.Clear();
        _due.Clear();
    }

    private static Dictionary<string, int> BuildTiers(ErpSinkOptions o)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal) { [o.CommandsTopic] = 0 };
        for (var i = 0; i < o.RetryTopics.Count; i++)
        {
            d[o.RetryTopics[i]] = i + 1;
        }

        return d;
    }

    /// <summary>Cancellation of one assignment: Stop skips records not started, Abort cancels ERP calls in flight.</summary>
    private sealed class Generation
    {
        public CancellationTokenSource Stop { get; } = new();

        public CancellationTokenSource Abort { get; } = new();
    }
}

/// <summary>
/// One record handed to the <see cref="PostingProcessor"/>: its retry tier (0 = the command topic), where to mark it
/// done, and its assignment's cancellation (Stop: not started yet → skip; Abort: cancel the ERP call).
/// </summary>
internal sealed record SinkWork(ConsumeResult<string, byte[]> Record, int Tier, PartitionOffsets Offsets, CancellationToken Stop, CancellationToken Abort)
{
    /// <summary>Marks the record's outcome durable: its offset may be committed.</summary>
    public void Done() => Offsets.Complete(Record.Offset.Value);
}
