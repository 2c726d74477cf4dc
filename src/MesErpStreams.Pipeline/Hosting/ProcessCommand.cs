using System.CommandLine;
using MesErpStreams.Hosting;
using MesErpStreams.Observability;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Pipeline.Hosting;

/// <summary><c>meserp process</c>: runs the MES → ERP processor (one instance of the consumer group).</summary>
public static class ProcessCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var bootstrap = CommonOptions.BootstrapServers();
        var kafkaProps = CommonOptions.KafkaProperties();
        var config = CommonOptions.ConfigFile();
        var registryUrl = RegistryOptions.Url();
        var appId = new Option<string>("--application-id")
        {
            Description = "Consumer group, transactional id prefix and changelog topic prefix; instances with the same id share the work.",
            DefaultValueFactory = _ => PipelineTopology.DefaultApplicationId,
        };
        var stateDir = new Option<DirectoryInfo>("--state-dir")
        {
            Description = "Directory of the persistent state stores (dedupe, pending) and their checkpoints.",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("data", "processor")),
        };
        var dedupe = CommonOptions.DurationWithDefault("--dedupe-retention", "How long event ids are remembered for deduplication.", "7d");
        var pendingTimeout = CommonOptions.DurationWithDefault("--pending-timeout", "How long an event waits for master data before MASTER_DATA_MISSING.", "1h");
        var skew = CommonOptions.DurationWithDefault("--max-clock-skew", "How far occurredAt may lie in the future.", "5m");
        var commitInterval = CommonOptions.DurationWithDefault("--commit-interval", "Transaction commit interval.", "100ms");
        var scale = new Option<int>("--quantity-scale") { Description = "Decimals of base-unit quantities sent to the ERP (0-6).", DefaultValueFactory = _ => 3 };
        var rounding = new Option<MidpointRounding>("--rounding") { Description = "Rounding of converted quantities.", DefaultValueFactory = _ => MidpointRounding.AwayFromZero };
        var guarantee = new Option<DeliveryGuarantee>("--guarantee") { Description = "ExactlyOnce (transactions) or AtLeastOnce.", DefaultValueFactory = _ => DeliveryGuarantee.ExactlyOnce };
        var poll = CommonOptions.DurationWithDefault("--poll-interval", "How long a poll gathers records (up to 500) before they are processed: shorter lowers latency at low rates and costs CPU at high ones.", "100ms");
        var threads = new Option<int>("--stream-threads")
        {
            Description = "Stream threads of this instance (1-64): its tasks are shared among them, each with its own consumer and transactional producer.",
            DefaultValueFactory = _ => 1,
        };
        var engineLog = new Option<LogLevel>("--engine-log-level")
        {
            Description = "Log level of Streamiz.Kafka.Net, the stream engine (Information prints 110-150 lines and its whole configuration at every start). Default Warning.",
            DefaultValueFactory = _ => LogLevel.Warning,
        };
        var autoRegister = new Option<bool>("--auto-register-schemas") { Description = "Register the command schema on first use (off by default: register with `meserp schemas register`)." };
        var duration = CommonOptions.Duration("Stop after this long (default: until Ctrl-C or SIGTERM).");
        var command = new Command("process", "Run the MES → ERP processor: validate, deduplicate by event id, enrich against master data (late master data waits), convert units, emit ERP posting commands exactly once. Scale out by starting more instances with the same --application-id.")
        {
            bootstrap, kafkaProps, config, registryUrl, appId, stateDir, dedupe, pendingTimeout, skew, commitInterval, scale, rounding, guarantee, poll, threads, engineLog, autoRegister, duration,
        };
        var metrics = new MetricsCommandOptions(defaultPort: null);
        metrics.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var configuration = CommonOptions.BuildConfiguration(parse.GetValue(config));
            var kafka = CommonOptions.Kafka(configuration, parse.GetValue(bootstrap), parse.GetValue(kafkaProps));
            var registry = RegistryOptions.Bind(configuration, parse.GetValue(registryUrl));
            var checkInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, CommonOptions.DurationValue(parse, pendingTimeout).Ticks / 4));
            var pipeline = new PipelineOptions
            {
                DedupeRetention = CommonOptions.DurationValue(parse, dedupe),
                PendingTimeout = CommonOptions.DurationValue(parse, pendingTimeout),
                PendingCheckInterval = checkInterval,
                PendingReleaseInterval = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, Math.Min(TimeSpan.FromMilliseconds(500).Ticks, checkInterval.Ticks))),
                MaxClockSkew = CommonOptions.DurationValue(parse, skew),
                QuantityScale = parse.GetValue(scale),
                Rounding = parse.GetValue(rounding),
            };
            var options = new StreamizPipelineOptions(parse.GetValue(appId)!, kafka.BootstrapServers!, new Dictionary<string, string>(kafka.Properties),
                parse.GetValue(stateDir)!.FullName, CommonOptions.DurationValue(parse, commitInterval), parse.GetValue(guarantee) == DeliveryGuarantee.ExactlyOnce)
            {
                StreamThreads = parse.GetValue(threads),
                PollInterval = CommonOptions.DurationValue(parse, poll),
            };
            Fail(pipeline.Validate().Concat(options.Validate()).ToList());

            // Before the components, so the exporter sees every instrument from its first increment.
            await using var endpoint = await metrics.StartAsync(parse, null, ct);
            var engineLevel = parse.GetValue(engineLog);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
                .AddFilter("Streamiz", engineLevel));
            using var registryClient = new CachedSchemaRegistryClient(registry);
            if (!await RegistryCheck.CheckAtStartAsync("process", registryClient, registry.Url, Console.Error, loggers.CreateLogger("meserp.process"), ct))
            {
                return 2;
            }

            var serializerConfig = new AvroSerializerConfig { AutoRegisterSchemas = parse.GetValue(autoRegister) };
            var codecs = RegistrySerdes.Codecs(registryClient, serializerConfig);
            await using var processor = new SupervisedPipeline(dir => new StreamizPipeline(codecs, pipeline, options with { StateDirectory = dir }, loggers), options.StateDirectory, loggers);
            return await RunAsync(processor, loggers, parse.GetValue(duration), endpoint, ct);
        });
        return command;
    }

    /// <summary>Runs the processor until cancellation or <paramref name="duration"/>; it restarts itself after fatal errors (<see cref="SupervisedPipeline"/>).</summary>
    /// <returns>0 after a requested stop, 2 when topics are missing or mis-partitioned.</returns>
    internal static async Task<int> RunAsync(SupervisedPipeline processor, ILoggerFactory loggers, TimeSpan? duration, MetricsEndpointHandle? endpoint, CancellationToken ct)
    {
        var log = loggers.CreateLogger("meserp.process");
        endpoint?.AddReadinessCheck(ReadinessCheck.From("processing (RUNNING, global tables bootstrapped)", () => processor.Running));
        if (endpoint is not null)
        {
            log.LogInformation("metrics on {Url}", endpoint.MetricsUrl);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        try
        {
            await processor.StartAsync(stop.Token);
            await Task.Delay(Timeout.Infinite, stop.Token);
            return 0; // unreachable: only cancellation ends the wait
        }
        catch (InvalidOperationException e)
        {
            log.LogCritical("{Message}", e.Message);
            return 2;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C, SIGTERM or --duration: the caller disposes the processor, which commits and closes.
            log.LogInformation("processor stopping");
            return 0;
        }
    }

    private static void Fail(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }
    }

}
