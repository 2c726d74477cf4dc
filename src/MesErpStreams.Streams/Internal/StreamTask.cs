using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>
/// One task: the topology instance for one input partition number, with its processors, stores and punctuations.
/// Used identically by the Kafka runtime and the test driver; everything here runs on one thread.
/// </summary>
internal sealed partial class StreamTask : ITaskClock
{
    private readonly TaskServices _services;
    private readonly Dictionary<string, SourceNode> _sources = [];
    private readonly List<NodeInstance> _nodes = [];
    private readonly Dictionary<string, object> _storeFacades = [];
    private readonly List<StoreCache> _stores = [];
    private readonly List<Punctuation> _streamPunctuations = [];
    private readonly List<Punctuation> _wallPunctuations = [];
    private long _transactionStartStreamTime = long.MinValue;
    private (string Store, TimeSpan Interval)[] _purges = [];

    public StreamTask(int partition, TaskServices services)
    {
        Partition = partition;
        _services = services;
    }

    public int Partition { get; }

    public string ApplicationId => _services.ApplicationId;

    public TimeProvider Time => _services.Time;

    public OutputBuffer Outputs { get; } = new();

    public RecordOrigin? CurrentOrigin { get; private set; }

    public long StreamTimeMs { get; private set; } = long.MinValue;

    public long CurrentTimestampMs { get; private set; } = long.MinValue;

    public bool CommitRequested { get; set; }

    public IReadOnlyList<StoreCache> Stores => _stores;

    public IEnumerable<string> SourceTopics => _sources.Keys;

    internal void AddSource(string topic, SourceNode node) => _sources[topic] = node;

    internal void AddNode(NodeInstance node) => _nodes.Add(node);

    internal void AddStore(StoreCache cache, object facade)
    {
        _stores.Add(cache);
        _storeFacades[cache.Name] = facade;
    }

    public object? GetStore(string name) => _storeFacades.GetValueOrDefault(name);

    public object? GetGlobalStore(string name) => _services.GlobalTables.GetValueOrDefault(name);

    /// <summary>Carries the stream time of the task this one replaces (see <c>StreamThread.RestartProcessors</c>).</summary>
    public void ContinueStreamTime(long streamTimeMs)
    {
        StreamTimeMs = streamTimeMs;
        _transactionStartStreamTime = streamTimeMs;
    }

    /// <summary>Whether <see cref="Initialize"/> ran (the processors were initialised).</summary>
    public bool Initialized { get; private set; }

    /// <summary>Remembers the stores to purge by punctuation, scheduled by <see cref="Initialize"/>.</summary>
    public void PrepareInit(IEnumerable<(string Store, TimeSpan Interval)> purges) => _purges = [.. purges];

    /// <summary>Schedules the purges and initialises the processors; once, after the stores are restored.</summary>
    public void Initialize()
    {
        if (Initialized)
        {
            return;
        }

        Initialized = true;
        foreach (var (store, interval) in _purges)
        {
            var purgeable = (IPurgeable)_storeFacades[store];
            Schedule($"purge:{store}", interval, PunctuationType.StreamTime, _ => purgeable.Purge());
        }

        foreach (var node in _nodes)
        {
            node.Init();
        }
    }

    public IDisposable Schedule(string node, TimeSpan interval, PunctuationType type, Action<DateTimeOffset> callback)
    {
        var list = type == PunctuationType.StreamTime ? _streamPunctuations : _wallPunctuations;
        var p = new Punctuation(node, Math.Max(1, (long)interval.TotalMilliseconds), type, callback, list);
        if (type == PunctuationType.WallClockTime)
        {
            p.NextMs = Time.GetUtcNow().ToUnixTimeMilliseconds() + p.IntervalMs;
        }
        else if (StreamTimeMs != long.MinValue)
        {
            p.NextMs = StreamTimeMs + p.IntervalMs;
        }

        list.Add(p);
        return p;
    }

    /// <summary>Processes one input record; a failing record is dead-lettered (or throws <see cref="StreamsProcessingException"/>).</summary>
    public async ValueTask ProcessAsync(ConsumeResult<byte[], byte[]> raw)
    {
        var start = Stopwatch.GetTimestamp();
        var source = _sources[raw.Topic];
        var ts = raw.Message.Timestamp.Type == TimestampType.NotAvailable ? 0 : raw.Message.Timestamp.UnixTimestampMs;
        CurrentOrigin = new RecordOrigin(raw.Topic, raw.Partition.Value, raw.Offset.Value);
        CurrentTimestampMs = ts;
        if (ts > StreamTimeMs)
        {
            StreamTimeMs = ts;
        }

        BeginRecord();
        try
        {
            await source.ProcessAsync(raw);
            await CompleteOutputsAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            RollbackRecord();
            HandleFailure(raw, StageFailure.Wrap(ErrorStage.Process, source.Name, ex));
            CurrentOrigin = null;
            return;
        }

        SendOutputs();
        EndRecord();
        CurrentOrigin = null;
        _services.Metrics.ProcessTime(start);
        if (_streamPunctuations.Count > 0)
        {
            await PunctuateAsync(_streamPunctuations, StreamTimeMs);
        }
    }

    /// <summary>Fires due wall-clock punctuations.</summary>
    public ValueTask PunctuateWallClockAsync() =>
        _wallPunctuations.Count == 0 ? default : PunctuateAsync(_wallPunctuations, Time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Runs a callback (punctuation, global-table change) as a unit: its outputs and writes all happen or none.</summary>
    public async ValueTask RunCallbackAsync(string node, Action callback)
    {
        CurrentOrigin = null;
        CurrentTimestampMs = StreamTimeMs == long.MinValue ? Time.GetUtcNow().ToUnixTimeMilliseconds() : StreamTimeMs;
        BeginRecord();
        try
        {
            callback();
            await CompleteOutputsAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            RollbackRecord();
            var failure = StageFailure.Wrap(ErrorStage.Process, node, ex);
            if (_services.DeadLetter.ProcessingErrors == ErrorHandlerMode.Fail)
            {
                throw new StreamsProcessingException(failure.Stage, failure.Node, null, failure.InnerException!);
            }

            _services.Logger.LogError(failure.InnerException, "Callback of node {Node} in task {Partition} failed at stage {Stage}; its writes and outputs were undone", failure.Node, Partition, DeadLetterHeaders.StageValue(failure.Stage));
            return;
        }

        SendOutputs();
        EndRecord();
    }

    /// <summary>Before committing: log this transaction's store writes to the changelogs.</summary>
    public void FlushStores()
    {
        foreach (var store in _stores)
        {
            if (store.ChangelogTopic is not null && store.DirtyCount > 0)
            {
                store.Flush(_services.Collector);
                _services.Metrics.Produced(store.ChangelogTopic, store.DirtyCount);
            }
        }
    }

    /// <summary>After the transaction committed: apply the writes to local state with the new checkpoints.</summary>
    public void CommitCompleted()
    {
        foreach (var store in _stores)
        {
            var next = store.ChangelogTopic is null ? null : _services.Collector.TakeChangelogNextOffset(store.ChangelogTopic, Partition);
            store.ApplyCommitted(next);
        }

        _transactionStartStreamTime = StreamTimeMs;
        CommitRequested = false;
    }

    /// <summary>The transaction was aborted: forget its writes and rewind stream time.</summary>
    public void Abort()
    {
        foreach (var store in _stores)
        {
            store.Abort();
        }

        Outputs.Clear();
        StreamTimeMs = _transactionStartStreamTime;
        CommitRequested = false;
    }

    public int DirtyEntries => _stores.Sum(s => s.DirtyCount);

    public void Close()
    {
        foreach (var node in Initialized ? _nodes : [])
        {
            try
            {
                node.Close();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _services.Logger.LogError(ex, "Closing node {Node} of task {Partition} failed", node.Name, Partition);
            }
        }

        foreach (var table in _services.GlobalTables.Values)
        {
            table.RemoveSubscriptionsOf(this);
        }

        _streamPunctuations.Clear();
        _wallPunctuations.Clear();

        // The local databases outlive the task (a re-assignment restores from their checkpoint): finish writing first.
        foreach (var store in _stores)
        {
            store.WaitUntilApplied(TimeSpan.FromMinutes(1));
        }
    }
}
