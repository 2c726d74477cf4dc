using Confluent.Kafka;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Observability;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.Sink.Erp;
using MesErpStreams.Sink.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesErpStreams.Sink;

/// <summary>
/// One ERP sink worker (<c>meserp sink</c>): consumes <see cref="ErpSinkOptions.CommandsTopic"/> and the retry tiers,
/// posts through an <see cref="IErpClient"/>, and publishes results, retries and dead letters. Run several in one
/// consumer group to scale out. Serdes are pluggable: the registry's Avro serdes in production.
/// <para>
/// Guarantees: an offset is committed only after the command's outcome is durable (result, retry record or dead
/// letter acknowledged by the broker; idempotent producer). A crash between the ERP call and the commit re-posts the
/// command, and the ERP's idempotency key makes that a <c>DUPLICATE</c>, never a second document. Commands of one key
/// reach the ERP in order, also across retries: a command whose key has an earlier command in a retry tier is routed
/// behind it into that tier instead of being posted (see <c>ParkedKeys</c>); when the earlier command is dead-lettered
/// its key is released.
/// </para>
/// </summary>
public sealed class ErpSinkService : BackgroundService
{
    private readonly ErpSinkOptions _options;
    private readonly IErpClient _erp;
    private readonly IAsyncDeserializer<ErpPostingCommand> _deserializer;
    private readonly IAsyncSerializer<PostingResult> _serializer;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private SinkRunner? _runner;
    private ErpGate? _gate;
    private HttpErpClient? _owned;

    /// <summary>Creates a worker; call <c>StartAsync</c> to run it.</summary>
    /// <param name="options">Validated here.</param>
    /// <param name="erp">The ERP adapter.</param>
    /// <param name="commandDeserializer">Reads command values (Confluent wire format Avro in production).</param>
    /// <param name="resultSerializer">Writes result values.</param>
    /// <param name="logger">Logger; none when null.</param>
    /// <param name="time">Clock; system clock when null.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public ErpSinkService(ErpSinkOptions options, IErpClient erp, IAsyncDeserializer<ErpPostingCommand> commandDeserializer,
        IAsyncSerializer<PostingResult> resultSerializer, ILogger<ErpSinkService>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _erp = erp ?? throw new ArgumentNullException(nameof(erp));
        _deserializer = commandDeserializer ?? throw new ArgumentNullException(nameof(commandDeserializer));
        _serializer = resultSerializer ?? throw new ArgumentNullException(nameof(resultSerializer));
        _log = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Creates a worker with the HTTP ERP adapter and the registry's Avro serdes (Confluent wire format) for
    /// <see cref="ErpPostingCommand"/> and <see cref="PostingResult"/>: what <c>meserp sink</c> and <c>meserp run</c> use.
    /// The worker owns (and disposes) the HTTP client; the caller keeps owning <paramref name="registry"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static ErpSinkService Create(ErpSinkOptions options, HttpErpClientOptions erp, ISchemaRegistryClient registry,
        ILoggerFactory? loggerFactory = null, bool autoRegisterResultSchema = false)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var client = new HttpErpClient(erp);
        try
        {
            return new ErpSinkService(options, client, new AvroDeserializer<ErpPostingCommand>(registry, ErpPostingCommand.Schema),
                new AvroSerializer<PostingResult>(registry, PostingResult.Schema, new AvroSerializerConfig { AutoRegisterSchemas = autoRegisterResultSchema }),
                loggerFactory?.CreateLogger<ErpSinkService>()) { _owned = client };
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        _owned?.Dispose();
    }

    /// <summary>Test hook: runs after the ERP answered, before the outcome is produced.</summary>
    internal Func<ErpPostingCommand, ErpPostingOutcome, Task>? AfterErpCall { get; set; }

    /// <summary>Partitions (command topic and retry tiers) this worker owns right now.</summary>
    public int AssignedPartitions => _runner?.AssignedPartitions ?? 0;

    /// <summary>The ERP circuit breaker: 0 closed, 1 half-open, 2 open (ERP unreachable or failing); 0 before the worker starts.</summary>
    public int ErpCircuitState => Volatile.Read(ref _gate)?.CircuitStateValue ?? 0;

    /// <summary>Since when the ERP has been unavailable; null while it answers (or before the worker starts).</summary>
    public DateTimeOffset? ErpUnavailableSince => Volatile.Read(ref _gate)?.UnavailableSince;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stop)
    {
        var o = _options;
        SinkKafkaConfig.CheckTopics(o);
        ParkedKeys parked = new(o.RetryTopics.Count);
        ErpGate? gate = null;
        using var metrics = new SinkMetrics(() => gate?.CircuitStateValue ?? 0, () => gate?.UnavailableSince);
        using var erpGate = gate = new ErpGate(_erp, o, metrics, _time, _log);
        Volatile.Write(ref _gate, gate);
        using var producer = new ProducerBuilder<string, byte[]>(SinkKafkaConfig.Producer(o))
            .SetErrorHandler((_, e) => _log.LogWarning("producer: {Reason}", e.Reason))
            .SetLogHandler((_, m) => KafkaLog(m))
            .Build();
        var processor = new PostingProcessor(o, gate, parked, producer, _deserializer, _serializer, metrics, _time, _log) { AfterErpCall = AfterErpCall };
        SinkRunner? runner = null;
        using var scheduler = new KeyedScheduler<SinkWork>(o.MaxConcurrency, gate.MaxChainLength, processor.ProcessAsync, e => runner!.Fail(e));
        using var consumer = new ConsumerBuilder<string, byte[]>(SinkKafkaConfig.Consumer(o))
            .SetErrorHandler((_, e) =>
            {
                if (e.IsFatal)
                {
                    runner?.Fail(new KafkaException(e));
                }
                else
                {
                    _log.LogWarning("consumer: {Reason}", e.Reason);
                }
            })
            .SetLogHandler((_, m) => KafkaLog(m))
            .SetPartitionsAssignedHandler((_, parts) => runner!.OnAssigned(parts))
            .SetPartitionsRevokedHandler((_, _) => runner!.OnRevoked(commit: true))
            .SetPartitionsLostHandler((_, _) => runner!.OnRevoked(commit: false))
            .Build();
        using var lag = new ConsumerLagMonitor(o.GroupId, _time);
        _runner = runner = new SinkRunner(o, consumer, producer, scheduler, parked, gate,
            () => new ConsumerBuilder<string, byte[]>(SinkKafkaConfig.Scanner(o)).Build(), lag, _time, _log);
        _log.LogInformation("ERP sink starting: group {Group}, topics {Commands} + {Tiers} retry tiers", o.GroupId, o.CommandsTopic, o.RetryTopics.Count);
        try
        {
            runner.Run(stop);
        }
        catch (Exception e) when (Log(e))
        {
            throw; // unreachable: Log returns false so the exception propagates with its stack
        }

        void KafkaLog(LogMessage m) => _log.Log(
            m.Level switch
            {
                <= SyslogLevel.Error => LogLevel.Error,
                SyslogLevel.Warning => LogLevel.Warning,
                SyslogLevel.Debug => LogLevel.Debug,
                _ => LogLevel.Information,
            },
            "librdkafka {Facility}: {Message}", m.Facility, m.Message);

        bool Log(Exception e)
        {
            _log.LogCritical(e, "ERP sink worker stopped");
            return false;
        }
    }
}
