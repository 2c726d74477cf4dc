using System.CommandLine;
using MesErpStreams.Hosting;
using MesErpStreams.Observability;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Edge.Internal;

/// <summary><c>meserp edge publish</c>.</summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var bootstrap = CommonOptions.BootstrapServers();
        var kafkaProps = CommonOptions.KafkaProperties();
        var config = CommonOptions.ConfigFile();
        var registryUrl = RegistryOptions.Url();
        var files = new Argument<string[]>("files") { Description = "JSON Lines files, one event per line; '-' or none reads standard input.", Arity = ArgumentArity.ZeroOrMore };
        var outbox = new Option<FileInfo>("--outbox")
        {
            Description = "SQLite outbox file; accepted events wait here until Kafka has them.",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("data", "edge", "outbox.db")),
        };
        var maxEvents = new Option<long>("--outbox-max-events") { Description = "Outbox bound in events; when full, input stops with an error.", DefaultValueFactory = _ => 1_000_000 };
        var maxBytes = new Option<long>("--outbox-max-bytes") { Description = "Outbox bound in bytes of event bodies.", DefaultValueFactory = _ => 1L << 30 };
        var batch = new Option<int>("--batch-size") { Description = "Events per outbox write and per Kafka transaction.", DefaultValueFactory = _ => 500 };
        var linger = CommonOptions.DurationWithDefault("--linger", "Longest time an input line waits for its batch to fill before the partial batch is written to the outbox.", "100ms");
        var txId = new Option<string?>("--transactional-id") { Description = "Kafka transactional id (default: meserp-edge-<outbox id>); one per outbox." };
        var autoRegister = new Option<bool>("--auto-register-schemas") { Description = "Register the event schemas on first use instead of looking them up." };
        var drain = new Option<TimeSpan?>("--drain-timeout")
        {
            Description = "After the input ends, wait at most this long for the outbox to drain (default: until drained or Ctrl-C); exit code 3 if it did not.",
            CustomParser = r => CommonOptions.ParseDuration(r, "--drain-timeout"),
        };
        var noWait = new Option<bool>("--no-wait") { Description = "Exit once the input is accepted; the outbox is forwarded by the next run." };
        var command = new Command("publish", "Publish MES events from JSON Lines (files or stdin) through a durable local outbox: lines are validated against the event contracts (a bad line is reported with its line number, the rest still published), accepted events survive crashes and Kafka outages and are forwarded in order, exactly once. Exit codes: 0 ok, 2 some lines rejected, 3 not drained in --drain-timeout, 4 outbox full.")
        {
            bootstrap, kafkaProps, config, registryUrl, files, outbox, maxEvents, maxBytes, batch, linger, txId, autoRegister, drain, noWait,
        };
        var metrics = new MetricsCommandOptions(defaultPort: null);
        metrics.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var configuration = CommonOptions.BuildConfiguration(parse.GetValue(config));
            var options = new EdgeProducerOptions
            {
                Kafka = CommonOptions.Kafka(configuration, parse.GetValue(bootstrap), parse.GetValue(kafkaProps)),
                OutboxPath = parse.GetValue(outbox)!.FullName,
                MaxEvents = parse.GetValue(maxEvents),
                MaxBytes = parse.GetValue(maxBytes),
                BatchSize = parse.GetValue(batch),
                Linger = CommonOptions.DurationValue(parse, linger),
                TransactionalId = parse.GetValue(txId),
                AutoRegisterSchemas = parse.GetValue(autoRegister),
            };
            var errors = options.Validate();
            if (errors.Count > 0)
            {
                throw new ArgumentException(string.Join("; ", errors));
            }

            var registry = RegistryOptions.Bind(configuration, parse.GetValue(registryUrl));
            var inputs = parse.GetValue(files) ?? [];
            foreach (var f in inputs)
            {
                if (f != "-" && !File.Exists(f))
                {
                    throw new ArgumentException($"files: '{f}' does not exist.");
                }
            }

            await using var endpoint = await metrics.StartAsync(parse, null, ct);
            await using var stdin = Console.OpenStandardInput();
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).SetMinimumLevel(LogLevel.Information));
            return await PublishRunner.RunAsync(options, registry, inputs, parse.GetValue(drain), parse.GetValue(noWait), stdin, Console.Error, loggers, ct);
        });
        return command;
    }
}
