using Confluent.Kafka;
using MesErpStreams.Kafka.Configuration;
using MesErpStreams.Observability;
using MesErpStreams.Pipeline.Engine;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace MesErpStreams.Pipeline.Hosting;

/// <summary>Runs one <c>meserp process</c> instance on Streamiz.Kafka.Net until cancellation, a duration, or a fatal error.</summary>
internal sealed class StreamizProcessor
{
    private readonly PipelineCodecs _codecs;
    private readonly PipelineOptions _pipeline;
    private readonly StreamizProcessorOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly TaskCompletionSource<KafkaStream.State> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile KafkaStream.State? _state;

    public StreamizProcessor(PipelineCodecs codecs, PipelineOptions pipeline, StreamizProcessorOptions options, ILoggerFactory loggers)
    {
        _codecs = codecs;
        _pipeline = pipeline;
        _options = options;
        _loggers = loggers;
        _log = loggers.CreateLogger("meserp.process");
    }

    /// <summary>Whether the instance is RUNNING: its tasks are restored and the global tables bootstrapped.</summary>
    public bool Running => _state == KafkaStream.State.RUNNING;

    public async Task<int> RunAsync(TimeSpan? duration, MetricsEndpointHandle? endpoint, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        var problems = await StreamizTopicCheck.ProblemsAsync(_options, _log, stop.Token);
        if (problems.Count > 0)
        {
            _log.LogCritical("application '{ApplicationId}' cannot start: {Problems}. Create them first (the topic catalog: meserp topics apply), or run with the application id they were created for.",
                _options.ApplicationId, string.Join("; ", problems));
            return 2;
        }

        var topology = StreamizTopology.Build(_codecs, _pipeline, _options.ApplicationId, () => Running);
        using var stream = new KafkaStream(topology, _options.ToStreamConfig(_loggers));
        stream.StateChanged += (from, to) =>
        {
            _state = to;
            _log.LogInformation("processor state {From} -> {To}", from, to);
            if (to == KafkaStream.State.ERROR || to == KafkaStream.State.NOT_RUNNING)
            {
                _stopped.TrySetResult(to);
            }
        };
        endpoint?.AddReadinessCheck(ReadinessCheck.From("processing (RUNNING, global tables bootstrapped)", () => Running));
        if (endpoint is not null)
        {
            _log.LogInformation("metrics on {Url}", endpoint.MetricsUrl);
        }

        _log.LogInformation("starting {ApplicationId} on Streamiz.Kafka.Net against {Bootstrap} ({Guarantee})",
            _options.ApplicationId, _options.BootstrapServers, _options.Guarantee);
        await stream.StartAsync(stop.Token);
        KafkaStream.State? end = null;
        try
        {
            end = await _stopped.Task.WaitAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C, SIGTERM or --duration: close below (commits the open transaction, writes checkpoints).
        }

        stream.Dispose();
        if (end == KafkaStream.State.ERROR || (end is not null && !stop.IsCancellationRequested))
        {
            _log.LogCritical("processor stopped on a fatal error (state {State}); see the errors above", end);
            return 1;
        }

        _log.LogInformation("processor stopped");
        return 0;
    }
}

/// <summary>Kafka and engine settings of a Streamiz processor instance.</summary>
internal sealed record StreamizProcessorOptions(
    string ApplicationId,
    string BootstrapServers,
    IReadOnlyDictionary<string, string> Kafka,
    string StateDirectory,
    TimeSpan CommitInterval,
    bool ExactlyOnce)
{
    public string Guarantee => ExactlyOnce ? "exactly once" : "at least once";

    /// <summary>
    /// The Streamiz configuration. Every librdkafka property from configuration (security, SASL, TLS, timeouts) is
    /// passed to all of its clients: as is, and with the main, global and restore consumer and producer prefixes,
    /// because Streamiz keeps unknown keys out of its client configurations.
    /// </summary>
    public StreamConfig ToStreamConfig(ILoggerFactory loggers)
    {
        var config = new StreamConfig<StringSerDes, ByteArraySerDes>
        {
            ApplicationId = ApplicationId,
            BootstrapServers = BootstrapServers,
            StateDir = StateDirectory,
            CommitIntervalMs = (long)CommitInterval.TotalMilliseconds,
            Guarantee = ExactlyOnce ? ProcessingGuarantee.EXACTLY_ONCE : ProcessingGuarantee.AT_LEAST_ONCE,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            Logger = loggers,
        };
        config.AddConfig("main.consumer.session.timeout.ms", GroupTimeouts.SessionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        config.AddConfig("main.consumer.heartbeat.interval.ms", GroupTimeouts.HeartbeatIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in Kafka)
        {
            config.AddConfig(key, value);
            foreach (var prefix in ClientPrefixes)
            {
                config.AddConfig(prefix + key, value);
            }
        }

        return config;
    }

    private static readonly string[] ClientPrefixes = ["main.consumer.", "global.consumer.", "restore.consumer.", "producer."];
}
