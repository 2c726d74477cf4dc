using System.CommandLine;
using System.Text.Json;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Hosting;
using MesErpStreams.Observability;
using MesErpStreams.SchemaRegistry;

namespace MesErpStreams.Edge.Internal;

/// <summary><c>meserp edge simulate</c>.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var bootstrap = CommonOptions.BootstrapServers();
        var kafkaProps = CommonOptions.KafkaProperties();
        var config = CommonOptions.ConfigFile();
        var registryUrl = RegistryOptions.Url();
        var d = new MesSimulatorOptions();
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed reproduces the run.", DefaultValueFactory = _ => d.Seed };
        var plants = new Option<int>("--plants") { Description = "Number of plants (1-9).", DefaultValueFactory = _ => d.Plants };
        var orders = new Option<int>("--orders-per-plant") { Description = "Work orders in progress at a time per plant.", DefaultValueFactory = _ => d.ActiveOrdersPerPlant };
        var rate = new Option<double>("--rate") { Description = "Events per second (0 = as fast as possible).", DefaultValueFactory = _ => d.EventsPerSecond };
        var dup = new Option<double>("--duplicate-rate") { Description = "Probability an event is re-sent later with the same id.", DefaultValueFactory = _ => d.DuplicateRate };
        var ooo = new Option<double>("--out-of-order-rate") { Description = "Probability an event is delivered after a few later ones.", DefaultValueFactory = _ => d.OutOfOrderRate };
        var invalid = new Option<double>("--invalid-rate") { Description = "Probability an event is invalid (dead-lettered by the processor).", DefaultValueFactory = _ => d.InvalidRate };
        var late = new Option<double>("--late-master-data-rate") { Description = "Probability a work order's master data arrives after its first events.", DefaultValueFactory = _ => d.LateMasterDataRate };
        var hold = new Option<double>("--hold-rate") { Description = "Probability a finished batch is put on quality hold and released.", DefaultValueFactory = _ => d.HoldRate };
        var scrap = new Option<double>("--scrap-rate") { Description = "Scrap probability per confirmation.", DefaultValueFactory = _ => d.ScrapRate };
        var max = new Option<long?>("--max-events") { Description = "Stop after this many event records (default: until --duration or Ctrl-C)." };
        var duration = CommonOptions.Duration("Generate for this long, then publish what was held back and stop (default: until Ctrl-C or --max-events).");
        var autoRegister = new Option<bool>("--auto-register-schemas") { Description = "Register schemas on first use instead of looking them up." };
        var summary = new Option<FileInfo?>("--summary-json") { Description = "Write the run's counts and expected postings as JSON to this file." };
        var command = new Command("simulate", "Simulate plant MES traffic (work orders with operations, yields, scrap, BOM consumption, quality holds) and the matching ERP master data, deterministic with --seed, with duplicates, out-of-order delivery, invalid events and late master data. Prints what it published and the ERP postings the run implies.")
        {
            bootstrap, kafkaProps, config, registryUrl, seed, plants, orders, rate, dup, ooo, invalid, late, hold, scrap, max, duration, autoRegister, summary,
        };
        var metrics = new MetricsCommandOptions(defaultPort: null);
        metrics.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var options = new MesSimulatorOptions
            {
                Seed = parse.GetValue(seed), Plants = parse.GetValue(plants), ActiveOrdersPerPlant = parse.GetValue(orders), EventsPerSecond = parse.GetValue(rate),
                DuplicateRate = parse.GetValue(dup), OutOfOrderRate = parse.GetValue(ooo), InvalidRate = parse.GetValue(invalid),
                LateMasterDataRate = parse.GetValue(late), HoldRate = parse.GetValue(hold), ScrapRate = parse.GetValue(scrap), MaxEvents = parse.GetValue(max),
            };
            var errors = options.Validate();
            if (errors.Count > 0)
            {
                throw new ArgumentException(string.Join("; ", errors));
            }

            if (options.MaxEvents is null && parse.GetValue(duration) is null)
            {
                await Console.Error.WriteLineAsync("simulating until Ctrl-C (use --duration or --max-events to bound the run)");
            }

            var configuration = CommonOptions.BuildConfiguration(parse.GetValue(config));
            var kafka = CommonOptions.Kafka(configuration, parse.GetValue(bootstrap), parse.GetValue(kafkaProps));
            var registryOptions = RegistryOptions.Bind(configuration, parse.GetValue(registryUrl));
            using var registry = new CachedSchemaRegistryClient(registryOptions);
            if (!await RegistryCheck.CheckAtStartAsync("edge simulate", registry, registryOptions.Url, Console.Error, null, ct))
            {
                return 2;
            }

            var simulator = new MesSimulator(options);
            using var simulatorMetrics = new SimulatorMetrics(simulator);
            await using var endpoint = await metrics.StartAsync(parse, null, ct);
            var stats = await simulator.RunAsync(kafka, registry, parse.GetValue(duration), parse.GetValue(autoRegister), ct);
            var expected = simulator.Expected();
            var result = new Dictionary<string, object>
            {
                ["seed"] = options.Seed,
                ["events_published"] = stats.EventsPublished,
                ["duplicates_sent"] = stats.DuplicatesSent,
                ["invalid_sent"] = stats.InvalidSent,
                ["master_data_published"] = stats.MasterDataPublished,
                ["expected_commands"] = expected.IdempotencyKeys.Count,
                ["expected_dead_letters"] = expected.DeadLetteredEventIds.Count,
            };
            foreach (var (k, v) in result)
            {
                Console.WriteLine($"{k}={v}");
            }

            if (parse.GetValue(summary) is { } file)
            {
                result["expected_idempotency_keys"] = expected.IdempotencyKeys.Order(StringComparer.Ordinal).ToArray();
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(result, SummaryJsonContext.Default.DictionaryStringObject), ct);
            }

            return 0;
        });
        return command;
    }
}
