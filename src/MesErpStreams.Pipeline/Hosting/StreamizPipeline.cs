using Confluent.Kafka;
using MesErpStreams.Observability;
using MesErpStreams.Pipeline.Engine;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Errors;
using Streamiz.Kafka.Net.Kafka;

namespace MesErpStreams.Pipeline.Hosting;

/// <summary>
/// One instance of the MES → ERP processor on Streamiz.Kafka.Net: checks the topics, starts the Streamiz instance,
/// reports its state, and closes it (committing the open transaction) when disposed. <c>meserp process</c> and
/// <c>meserp run</c> host it.
/// </summary>
public sealed class StreamizPipeline : IDisposable
{
    private readonly PipelineCodecs _codecs;
    private readonly PipelineOptions _pipeline;
    private readonly StreamizPipelineOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly TaskCompletionSource<KafkaStream.State> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopLag = new();
    private KafkaStream? _stream;
    private ConsumerLagMonitor? _lag;
    private Thread? _lagThread;
    private volatile KafkaStream.State? _state;
    private bool _disposing;

    /// <summary>Creates an instance; nothing runs before <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public StreamizPipeline(PipelineCodecs codecs, PipelineOptions pipeline, StreamizPipelineOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var errors = pipeline.Validate().Concat(options.Validate()).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }

        _codecs = codecs;
        _pipeline = pipeline;
        _options = options;
        _loggers = loggers;
        _log = loggers.CreateLogger("meserp.process");
    }

    /// <summary>Whether the instance is RUNNING: its tasks restored and the global tables bootstrapped (readiness).</summary>
    public bool Running => _state == KafkaStream.State.RUNNING;

    /// <summary>Completes with the state (ERROR or NOT_RUNNING) when the instance stops without being disposed: a fatal error.</summary>
    public Task<KafkaStream.State> Failed => _stopped.Task;

    /// <summary>Checks the topics, then starts processing (returns once the Streamiz threads run; see <see cref="Running"/>).</summary>
    /// <exception cref="InvalidOperationException">Topics are missing or mis-partitioned; the message names them.</exception>
    public async Task StartAsync(CancellationToken ct)
    {
        var problems = await StreamizTopicCheck.ProblemsAsync(_options, _log, ct);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"application '{_options.ApplicationId}' cannot start: {string.Join("; ", problems)}. " +
                "Create them first (the topic catalog: meserp topics apply), or run with the application id they were created for.");
        }

        Directory.CreateDirectory(_options.StateDirectory);
        LocalStateGuard.DiscardUnlessClosedCleanly(_options.StateDirectory, _options.ApplicationId, _log);
        _lag = new ConsumerLagMonitor(_options.ApplicationId);
        _log.LogInformation("starting {ApplicationId} on Streamiz.Kafka.Net against {Bootstrap} ({Guarantee})",
            _options.ApplicationId, _options.BootstrapServers, _options.ExactlyOnce ? "exactly once" : "at least once");
        for (var attempt = 1; ; attempt++)
        {
            var stream = NewStream();
            try
            {
                // No token for Streamiz: it disposes the instance itself when the token it was started with is
                // cancelled, at once, on the thread that cancels. Ctrl-C and SIGTERM must leave that to Dispose, which
                // runs after the caller's drain (meserp run keeps processing until the ERP ledger is complete) and
                // marks a clean close; with the token, `meserp run` lost the last events of a run stopped by SIGTERM.
                await stream.StartAsync();
                ct.ThrowIfCancellationRequested();
                break;
            }
            catch (StreamsException e) when (IsAssignSeekRace(e) || IsKafkaUnavailable(e))
            {
                // Streamiz's global thread assigns its partitions and seeks them at once; librdkafka applies an
                // assignment asynchronously, so the seek can find the partition not yet assigned (Local: Erroneous
                // state). Or Kafka did not answer the global thread's metadata request (the fault suite restarted a
                // processor while every broker was down; it stopped with exit 1). Nothing has been consumed or written
                // yet: start a fresh instance, for as long as it takes (backoff up to 30 s).
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * attempt));
                _log.LogWarning("global tables did not start ({Reason}); starting again in {Delay} (attempt {Attempt})", e.InnerException!.Message, delay, attempt + 1);
                _stream = null;
                stream.Dispose();
                EngineMetrics.Untrack(stream);
                await Task.Delay(delay, ct);
            }
        }

        var lag = _lag;
        _lagThread = new Thread(() => RefreshEndOffsets(lag, _stopLag.Token)) { IsBackground = true, Name = "meserp-processor-lag" };
        _lagThread.Start();
    }

    private static bool IsAssignSeekRace(StreamsException e) =>
        e.InnerException is KafkaException { Error.Code: ErrorCode.Local_State };

    private static bool IsKafkaUnavailable(StreamsException e) =>
        e.InnerException is KafkaException { Error.Code: ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut };

    private KafkaStream NewStream()
    {
        StreamizLogging.Use(_loggers);
        var closeGuard = new DirtyCloseGuard();
        var topology = StreamizTopology.Build(_codecs, _pipeline, _options.ApplicationId, () => Running, _lag, closeGuard, _loggers.CreateLogger("meserp.process.tasks"));
        var config = _options.ToStreamConfig(StreamizLogging.Factory);
        var clients = new GuardedKafkaSupplier(new DefaultKafkaClientSupplier(new KafkaLoggerAdapter(config), config), closeGuard, _log);
        var stream = new KafkaStream(topology, config, clients);
        _stream = stream;
        EngineMetrics.Track(stream, _options.ApplicationId);
        stream.StateChanged += (from, to) =>
        {
            if (!ReferenceEquals(_stream, stream))
            {
                return; // an instance given up on at start
            }

            _state = to;
            _log.LogInformation("processor state {From} -> {To}", from, to);
            if (!_disposing && (to == KafkaStream.State.ERROR || to == KafkaStream.State.NOT_RUNNING))
            {
                _stopped.TrySetResult(to);
            }
        };
        return stream;
    }

    /// <summary>Marks an instance that could not start as failed (<see cref="Failed"/> completes with NOT_RUNNING), so its supervisor replaces it.</summary>
    internal void MarkFailed() => _stopped.TrySetResult(KafkaStream.State.NOT_RUNNING);

    /// <summary>Closes the instance: commits the open transaction and writes the store checkpoints.</summary>
    public void Dispose()
    {
        if (_disposing)
        {
            return;
        }

        _disposing = true;
        _stopLag.Cancel();
        if (_stream is { } stream)
        {
            // Closed while running (not after a fatal error): Streamiz commits the open transaction and writes the
            // checkpoints, so the next start may use the local stores.
            var clean = !_stopped.Task.IsCompleted && (_state == KafkaStream.State.RUNNING || _state == KafkaStream.State.REBALANCING);
            stream.Dispose();
            EngineMetrics.Untrack(stream);
            _stream = null;
            if (clean && _state == KafkaStream.State.NOT_RUNNING)
            {
                LocalStateGuard.MarkClosedCleanly(_options.StateDirectory, _options.ApplicationId);
            }
        }

        _lagThread?.Join(TimeSpan.FromSeconds(15));
        _lag?.Dispose();
        _stopLag.Dispose();
        StreamizLogging.Release(_loggers);
    }

    /// <summary>
    /// Streamiz gives no access to its consumer, so the ends of the partitions this instance consumed are queried
    /// every 5 s by a consumer of our own that joins no group (one round trip per partition, on a thread of its own:
    /// the client's calls block); positions come from the transformer per record.
    /// </summary>
    private void RefreshEndOffsets(ConsumerLagMonitor lag, CancellationToken stop)
    {
        var config = new ConsumerConfig(_options.Kafka.ToDictionary()) { BootstrapServers = _options.BootstrapServers, GroupId = _options.ApplicationId + "-lag" };
        using var watermarks = new ConsumerBuilder<byte[], byte[]>(config).Build();
        while (!stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)))
        {
            foreach (var (topic, partition) in lag.Partitions)
            {
                try
                {
                    var high = watermarks.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(5)).High;
                    if (high != Offset.Unset)
                    {
                        lag.SetEndOffset(topic, partition, high.Value);
                    }
                }
                catch (KafkaException e)
                {
                    _log.LogDebug("end offset of {Topic}[{Partition}] not available for the lag metric: {Reason}", topic, partition, e.Error.Reason);
                }
            }
        }
    }
}
