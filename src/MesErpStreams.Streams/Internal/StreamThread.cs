using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>
/// The consume-process-produce loop of one instance. Everything (rebalance callbacks, processing, commits, restore,
/// global-table updates, punctuation) runs on this loop, so tasks and stores need no locks. Blocking client calls
/// (<c>Consume</c>, transaction operations) run here, off the caller's async path; async serdes are awaited.
/// </summary>
internal sealed partial class StreamThread : IDisposable
{
    private const int MaxRecordsPerIteration = 1000;
    private readonly Topology _topology;
    private readonly StreamsOptions _options;
    private readonly DeadLetterOptions _deadLetter;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly StreamsMetrics _metrics;
    private readonly bool _exactlyOnce;
    private readonly Dictionary<int, StreamTask> _tasks = [];
    private readonly Dictionary<(string Store, int Partition), IBytesStore> _bytesStores = [];
    private readonly Dictionary<TopicPartition, long> _transactionStart = [];
    private readonly Dictionary<TopicPartition, long> _nextOffsets = [];
    private readonly List<TopicPartition> _toPause = [];
    private readonly Dictionary<TopicPartition, long> _resumeAt = [];
    private readonly Dictionary<string, GlobalTable> _globalTables;
    private IConsumer<byte[], byte[]> _consumer = null!;
    private IProducer<byte[], byte[]> _producer = null!;
    private KafkaCollector _collector = null!;
    private TaskServices _services = null!;
    private StoreRestorer _restorer = null!;
    private GlobalTableRunner? _global;
    private bool _transactionOpen;
    private bool _closing;
    private bool _fatal;
    private Error? _fatalClientError;
    private int _uncommitted;
    private long _lastCommit = Stopwatch.GetTimestamp();
    private long _lastMetrics;

    public StreamThread(Topology topology, StreamsOptions options, DeadLetterOptions deadLetter, ILogger logger, TimeProvider time)
    {
        _topology = topology;
        _options = options;
        _deadLetter = deadLetter;
        _logger = logger;
        _time = time;
        _exactlyOnce = options.Guarantee == ProcessingGuarantee.ExactlyOnce;
        _metrics = new StreamsMetrics(options.ApplicationId);
        _globalTables = topology.CreateGlobalTables();
        InstanceId = options.InstanceId ?? $"{Environment.MachineName}-{Environment.ProcessId}";
    }

    public string InstanceId { get; }

    public Action<StreamsState>? OnStateChange { get; set; }

    /// <summary>Runs until <paramref name="stop"/> or a fatal error; never throws for Kafka or processing failures.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            OnStateChange?.Invoke(StreamsState.Starting);
            CreateClients();
            await CheckTopicsAsync(stop);
            if (_global is not null)
            {
                await _global.BootstrapAsync(_options.GlobalBootstrapTimeout, stop);
            }

            _consumer.Subscribe(_topology.SourceTopics);
            OnStateChange?.Invoke(StreamsState.Running);
            _logger.LogInformation("Streams instance {Instance} of {Application} running ({Guarantee}) on {Topics}",
                InstanceId, _options.ApplicationId, _options.Guarantee, string.Join(", ", _topology.SourceTopics));
            var failures = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (_fatalClientError is { } fatalError)
                    {
                        throw new KafkaException(fatalError);
                    }

                    if (_fatalProducerError is { } producerError)
                    {
                        RecoverFromFencing(producerError, seek: true);
                        continue;
                    }

                    await IterateAsync();
                    failures = 0;
                }
                catch (KafkaException ex) when (_exactlyOnce && IsFenced(ex.Error))
                {
                    RecoverFromFencing(ex.Error, seek: true);
                }
                catch (TransientRecordException ex)
                {
                    // The record is not bad, something it needs is away (the schema registry): retry it, never skip it.
                    failures++;
                    _logger.LogWarning("{Message}; aborting the transaction and retrying (attempt {Attempt})", ex.Message, failures);
                    await AbortAndBackOffAsync(failures, stop);
                }
                catch (KafkaException ex) when (!IsFatal(ex))
                {
                    // Transient (broker down, request timed out, abortable transaction): abort, rewind, back off, retry.
                    failures++;
                    _logger.LogWarning("Processing failed with {Code} ({Reason}); aborting the transaction and retrying (attempt {Attempt})",
                        ex.Error.Code, ex.Error.Reason, failures);
                    await AbortAndBackOffAsync(failures, stop);
                }
            }

            OnStateChange?.Invoke(StreamsState.Stopping);
            CommitOrAbort("shutdown");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            OnStateChange?.Invoke(StreamsState.Stopping);
            _logger.LogInformation("Streams instance {Instance} stopped during startup", InstanceId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _fatal = true;
            FatalError = ex;
            _logger.LogCritical(ex, "Streams instance {Instance} of {Application} stopped after a fatal error ({Class}: {Message}); open transaction aborted, partitions released, restart required",
                InstanceId, _options.ApplicationId, ex.GetType().Name, ex.Message);
            TryAbortAfterFatal();
        }
        finally
        {
            Shutdown();
        }
    }

    public Exception? FatalError { get; private set; }

    /// <summary>After a failure that will pass: abort, rewind, then wait 200 ms doubling per attempt, at most 5 s.</summary>
    private async Task AbortAndBackOffAsync(int attempt, CancellationToken stop)
    {
        AbortAndRewind(seek: true);
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 << Math.Min(attempt, 6))), stop);
    }

    public void Dispose()
    {
        foreach (var store in _bytesStores.Values)
        {
            store.Dispose();
        }

        _bytesStores.Clear();
        _metrics.Dispose();
    }

    private async ValueTask IterateAsync()
    {
        if (_restorer.IsRestoring)
        {
            _restorer.Step(TimeSpan.FromMilliseconds(50));
        }

        var cr = _consumer.Consume(_restorer.IsRestoring ? TimeSpan.Zero : _options.PollTimeout);
        PauseNewlyRestoring();
        var n = 0;
        while (cr is not null)
        {
            if (!cr.IsPartitionEOF)
            {
                await HandleRecordAsync(cr);
            }

            if (++n >= MaxRecordsPerIteration || CommitDue())
            {
                break;
            }

            cr = _consumer.Consume(TimeSpan.Zero);
            PauseNewlyRestoring();
        }

        if (_global is not null)
        {
            await _global.PollAsync(500);
        }

        foreach (var task in _tasks.Values)
        {
            if (!_restorer.IsTaskRestoring(task.Partition))
            {
                await task.PunctuateWallClockAsync();
            }
        }

        if (CommitDue())
        {
            CommitOrAbort("interval");
        }

        PublishMetricsPeriodically();
    }

    private async ValueTask HandleRecordAsync(ConsumeResult<byte[], byte[]> cr)
    {
        var tp = cr.TopicPartition;
        if (!_tasks.TryGetValue(tp.Partition.Value, out var task) || _restorer.IsTaskRestoring(tp.Partition.Value))
        {
            // Fetched before the partition was paused for restoring: remember where to resume and stop fetching.
            _resumeAt.TryAdd(tp, cr.Offset.Value);
            _consumer.Pause([tp]);
            return;
        }

        _transactionStart.TryAdd(tp, cr.Offset.Value);
        _nextOffsets[tp] = cr.Offset.Value + 1;
        _metrics.Consumed(cr);
        await task.ProcessAsync(cr);
        _uncommitted++;
    }

    private bool CommitDue()
    {
        if (_uncommitted == 0 && !_transactionOpen)
        {
            return false;
        }

        if (_uncommitted >= _options.CommitMaxRecords || Stopwatch.GetElapsedTime(_lastCommit) >= _options.CommitInterval)
        {
            return true;
        }

        foreach (var task in _tasks.Values)
        {
            if (task.CommitRequested)
            {
                return true;
            }
        }

        return false;
    }

    private void PauseNewlyRestoring()
    {
        if (_toPause.Count > 0)
        {
            _consumer.Pause(_toPause);
            _toPause.Clear();
        }
    }

    private void BeginTransactionIfNeeded()
    {
        if (_exactlyOnce && !_transactionOpen)
        {
            _producer.BeginTransaction();
            _transactionOpen = true;
        }
        else if (!_exactlyOnce)
        {
            _transactionOpen = true;
        }
    }

    private void PublishMetricsPeriodically()
    {
        if (Stopwatch.GetElapsedTime(_lastMetrics) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _lastMetrics = Stopwatch.GetTimestamp();
        _metrics.PublishLag(_consumer);
        _metrics.PublishStores(_tasks.Values.SelectMany(t => t.Stores.Select(s => (s.Name, t.Partition, s.ApproximateCount))));
        _metrics.PublishGlobalTables(_globalTables.Values.Select(g => (g.StoreName, g.Count)));
        _metrics.PublishRestoreRemaining(_restorer.Remaining());
    }
}
