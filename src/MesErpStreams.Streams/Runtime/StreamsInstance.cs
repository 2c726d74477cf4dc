using MesErpStreams.Streams.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MesErpStreams.Streams;

/// <summary>
/// Runs a <see cref="Topology"/> against Kafka: one consumer in group <see cref="StreamsOptions.ApplicationId"/>, one
/// (transactional) producer, tasks per input partition, stores restored from changelogs, global tables bootstrapped
/// before processing. Scale out by starting more instances with the same application id.
/// </summary>
/// <remarks>
/// The loop runs on the thread pool via <see cref="Task.Run(Func{Task})"/>; blocking client calls happen there, never
/// on the caller's async path. A fatal error (fencing, a <see cref="ErrorHandlerMode.Fail"/> handler, a fatal client
/// error) aborts the open transaction, leaves the group, logs one critical line and ends in
/// <see cref="StreamsState.Failed"/>; a supervisor (host) restarts the instance.
/// </remarks>
public sealed class StreamsInstance : IAsyncDisposable
{
    private readonly StreamsOptions _options;
    private readonly ILogger _logger;
    private readonly StreamThread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private volatile StreamsState _state = StreamsState.Created;
    private int _disposed;

    /// <summary>Validates the options and prepares the instance; nothing connects until <see cref="Start"/>.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public StreamsInstance(Topology topology, StreamsOptions options, DeadLetterOptions? deadLetter = null, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(options);
        deadLetter ??= new DeadLetterOptions();
        var errors = options.Validate().Concat(deadLetter.Validate()).ToList();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(StreamsOptions), typeof(StreamsOptions), errors);
        }

        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("MesErpStreams.Streams");
        _thread = new StreamThread(topology, options, deadLetter, _logger, time ?? TimeProvider.System)
        {
            OnStateChange = s =>
            {
                _state = s;
                if (s == StreamsState.Running)
                {
                    _running.TrySetResult();
                }
            },
        };
    }

    /// <summary>Current lifecycle state.</summary>
    public StreamsState State => _state;

    /// <summary>The error that stopped the instance, when <see cref="State"/> is <see cref="StreamsState.Failed"/>.</summary>
    public Exception? FatalError => _thread.FatalError;

    /// <summary>Completes when the loop has ended (stopped or failed); never faults.</summary>
    public Task Completion => _loop ?? Task.CompletedTask;

    /// <summary>
    /// Completes once global tables are bootstrapped and the instance joined the group (restoring and processing
    /// follow); faults if the instance fails first.
    /// </summary>
    public Task Running => _running.Task;

    /// <summary>The instance id (transactional id suffix).</summary>
    public string InstanceId => _thread.InstanceId;

    /// <summary>Starts the loop and returns at once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the instance was already started");
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Asks the loop to commit, leave the group and stop, and waits for it at most
    /// <see cref="StreamsOptions.OperationTimeout"/> plus 10 s (or until <paramref name="cancellationToken"/>).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _stop.CancelAsync();
        if (_loop is null)
        {
            return;
        }

        var bound = Task.Delay(_options.OperationTimeout + TimeSpan.FromSeconds(10), cancellationToken);
        if (await Task.WhenAny(_loop, bound) != _loop)
        {
            _logger.LogError("Streams instance {Instance} did not stop within the bound; abandoning its loop", InstanceId);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync();
        if (_loop is { IsCompleted: true })
        {
            _thread.Dispose();
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        await _thread.RunAsync(_stop.Token);
        _state = _thread.FatalError is null ? StreamsState.Stopped : StreamsState.Failed;
        if (_thread.FatalError is { } error)
        {
            _running.TrySetException(error);
        }
        else
        {
            _running.TrySetCanceled();
        }
    }
}
