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
        var dedupe = DurationOption("--dedupe-retention", "How long event ids are remembered for deduplication.", "7d");
        var pendingTimeout = DurationOption("--pending-timeout", "How long an event waits for master data before MASTER_DATA_MISSING.", "1h");
        var skew = DurationOption("--max-clock-skew", "How far occurredAt may lie in the future.", "5m");
        var commitInterval = DurationOption("--commit-interval", "Transaction commit interval.", "100ms");
        var scale = new Option<int>("--quantity-scale") { Description = "Decimals of base-unit quantities sent to the ERP (0-6).", DefaultValueFactory = _ => 3 };
        var rounding = new Option<MidpointRounding>("--rounding") { Description = "Rounding of converted quantities.", DefaultValueFactory = _ => MidpointRounding.AwayFromZero };
        var guarantee = new Option<DeliveryGuarantee>("--guarantee") { Description = "ExactlyOnce (transactions) or AtLeastOnce.", DefaultValueFactory = _ => DeliveryGuarantee.ExactlyOnce };
        var poll = DurationOption("--poll-interval", "How long a poll gathers records (up to 500) before they are processed: shorter lowers latency at low rates and costs CPU at high ones.", "100ms");
        var threads = new Option<int>("--stream-threads")
        {
            Description = "Stream threads of this instance (1-64): its tasks are shared among them, each with its own consumer and transactional producer.",
            DefaultValueFactory = _ => 1,
        };
        var autoRegister = new Option<bool>("--auto-register-schemas") { Description = "Register the command schema on first use (off by default: register with `meserp schemas register`)." };
        var duration = CommonOptions.Duration("Stop after this long (default: until Ctrl-C or SIGTERM).");
        var command = new Command("process", "Run the MES → ERP processor: validate, deduplicate by event id, enrich against master data (late master data waits), convert units, emit ERP posting commands exactly once. Scale out by starting more instances with the same --application-id.")
        {
            bootstrap, kafkaProps, config, registryUrl, appId, stateDir, dedupe, pendingTimeout, skew, commitInterval, scale, rounding, guarantee, poll, threads, autoRegister, duration,
        };
        var metrics = new MetricsCommandOptions(defaultPort: null);
        metrics.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var configuration = CommonOptions.BuildConfiguration(parse.GetValue(config));
            var kafka = CommonOptions.Kafka(configuration, parse.GetValue(bootstrap), parse.GetValue(kafkaProps));
            var registry = RegistryOptions.Bind(configuration, parse.GetValue(registryUrl));
            var checkInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, parse.GetValue(pendingTimeout)!.Value.Ticks / 4));
            var pipeline = new PipelineOptions
            {
                DedupeRetention = parse.GetValue(dedupe)!.Value,
                PendingTimeout = parse.GetValue(pendingTimeout)!.Value,
                PendingCheckInterval = checkInterval,
                PendingReleaseInterval = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, Math.Min(TimeSpan.FromMilliseconds(500).Ticks, checkInterval.Ticks))),
                MaxClockSkew = parse.GetValue(skew)!.Value,
                QuantityScale = parse.GetValue(scale),
                Rounding = parse.GetValue(rounding),
            };
            var options = new StreamizPipelineOptions(parse.GetValue(appId)!, kafka.BootstrapServers!, new Dictionary<string, string>(kafka.Properties),
                parse.GetValue(stateDir)!.FullName, parse.GetValue(commitInterval)!.Value, parse.GetValue(guarantee) == DeliveryGuarantee.ExactlyOnce)
            {
                StreamThreads = parse.GetValue(threads),
                PollInterval = parse.GetValue(poll)!.Value,
            };
            Fail(pipeline.Validate().Concat(options.Validate()).ToList());

            // Before the components, so the exporter sees every instrument from its first increment.
            await using var endpoint = await metrics.StartAsync(parse, null, ct);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }));
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

    private static Option<TimeSpan?> DurationOption(string name, string description, string defaultText) => new(name)
    {
        Description = $"{description} Default {defaultText}.",
        CustomParser = r => CommonOptions.ParseDuration(r, name),
        DefaultValueFactory = _ => CommonOptions.TryParseDuration(defaultText, out var v) ? v : null,
    };
}
