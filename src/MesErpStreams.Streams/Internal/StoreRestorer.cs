using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>
/// Restores task stores from their changelogs with a separate, manually assigned consumer, a bounded slice per
/// loop iteration, while the task's input partitions stay paused; the main consumer keeps polling meanwhile so a
/// long restore never exceeds <c>max.poll.interval.ms</c>. Restoring starts at the store's checkpoint.
/// </summary>
internal sealed class StoreRestorer : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly ILogger _logger;
    private readonly StreamsMetrics _metrics;
    private readonly Action<int> _onTaskRestored;
    private readonly Dictionary<TopicPartition, Restoration> _active = [];
    private readonly Dictionary<int, (int Pending, Stopwatch Clock, long Records)> _tasks = [];

    public StoreRestorer(ConsumerConfig config, ILogger logger, StreamsMetrics metrics, Action<int> onTaskRestored)
    {
        _consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, e) => logger.LogWarning("Restore consumer error: {Reason}", e.Reason))
            .Build();
        _logger = logger;
        _metrics = metrics;
        _onTaskRestored = onTaskRestored;
    }

    public bool IsRestoring => _active.Count > 0;

    public bool IsTaskRestoring(int partition) => _tasks.ContainsKey(partition);

    /// <summary>Begins restoring the task's logged stores; false when all are up to date.</summary>
    public bool Start(StreamTask task)
    {
        var assign = new List<TopicPartitionOffset>();
        foreach (var store in task.Stores)
        {
            if (store.ChangelogTopic is null)
            {
                continue;
            }

            store.WaitUntilApplied(TimeSpan.FromMinutes(1));
            var tp = new TopicPartition(store.ChangelogTopic, task.Partition);
            var wm = _consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
            var from = store.Inner.CheckpointOffset ?? wm.Low.Value;
            if (from < wm.Low.Value)
            {
                // The changelog no longer holds what this checkpoint builds on (retention): rebuild from what remains.
                _logger.LogWarning("Changelog {Changelog} starts at {Low}, after checkpoint {Checkpoint}: rebuilding store {Store} from the changelog start",
                    tp, wm.Low.Value, from, store.Name);
                store.Inner.Clear();
                from = wm.Low.Value;
            }

            if (from >= wm.High.Value)
            {
                continue;
            }

            _active[tp] = new Restoration(store, task.Partition, from, wm.High.Value);
            assign.Add(new TopicPartitionOffset(tp, from));
        }

        if (assign.Count == 0)
        {
            return false;
        }

        _consumer.IncrementalAssign(assign);
        _tasks[task.Partition] = (assign.Count, Stopwatch.StartNew(), 0);
        _logger.LogInformation("Restoring task {Partition}: {Changelogs}", task.Partition,
            string.Join(", ", assign.Select(a => $"{a.TopicPartition} from {a.Offset.Value} to {_active[a.TopicPartition].End}")));
        return true;
    }

    /// <summary>Applies changelog records for at most <paramref name="budget"/>.</summary>
    public void Step(TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        while (_active.Count > 0 && clock.Elapsed < budget)
        {
            var cr = _consumer.Consume(TimeSpan.FromMilliseconds(10));
            if (cr is null || !_active.TryGetValue(cr.TopicPartition, out var r))
            {
                continue;
            }

            if (!cr.IsPartitionEOF)
            {
                r.Batch.Add(new(cr.Message.Key, cr.Message.Value));
                r.Next = cr.Offset.Value + 1;
                if (r.Batch.Count >= 10_000)
                {
                    Apply(r);
                }
            }

            if (cr.IsPartitionEOF)
            {
                r.Next = Math.Max(r.Next, cr.Offset.Value);
            }

            if (cr.IsPartitionEOF || r.Next >= r.End)
            {
                Complete(cr.TopicPartition, r);
            }
        }

        foreach (var r in _active.Values)
        {
            Apply(r);
        }
    }

    public void Cancel(int partition)
    {
        var mine = _active.Where(kv => kv.Value.Partition == partition).Select(kv => kv.Key).ToList();
        foreach (var tp in mine)
        {
            _active.Remove(tp);
        }

        if (mine.Count > 0)
        {
            _consumer.IncrementalUnassign(mine);
        }

        _tasks.Remove(partition);
    }

    public IEnumerable<(string Store, long Remaining)> Remaining() =>
        _active.Values.GroupBy(r => r.Store.Name).Select(g => (g.Key, g.Sum(r => Math.Max(0, r.End - r.Next)))).ToList();

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }

    private void Apply(Restoration r)
    {
        if (r.Batch.Count == 0)
        {
            return;
        }

        r.Store.Inner.Apply(r.Batch, r.Next);
        _metrics.Restored(r.Store.Name, r.Batch.Count);
        var t = _tasks[r.Partition];
        _tasks[r.Partition] = t with { Records = t.Records + r.Batch.Count };
        r.Batch.Clear();
    }

    private void Complete(TopicPartition tp, Restoration r)
    {
        Apply(r);
        if (r.Next > (r.Store.Inner.CheckpointOffset ?? -1))
        {
            r.Store.Inner.Apply([], r.Next);
        }

        _active.Remove(tp);
        _consumer.IncrementalUnassign([tp]);
        var t = _tasks[r.Partition];
        if (t.Pending > 1)
        {
            _tasks[r.Partition] = t with { Pending = t.Pending - 1 };
            return;
        }

        _tasks.Remove(r.Partition);
        _logger.LogInformation("Task {Partition} restored {Records} changelog records in {Elapsed} ms", r.Partition, t.Records, t.Clock.ElapsedMilliseconds);
        _onTaskRestored(r.Partition);
    }

    private sealed class Restoration(StoreCache store, int partition, long from, long end)
    {
        public StoreCache Store { get; } = store;

        public int Partition { get; } = partition;

        public long End { get; } = end;

        public long Next { get; set; } = from;

        public List<KeyValuePair<byte[], byte[]?>> Batch { get; } = [];
    }
}
