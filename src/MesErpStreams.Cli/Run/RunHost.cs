using System.Diagnostics;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.ErpSimulator;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Configuration;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Kafka.Provisioning;
using MesErpStreams.Observability;
using MesErpStreams.Pipeline;
using MesErpStreams.Pipeline.Hosting;
using MesErpStreams.Reconciliation;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.SchemaRegistry.Server;
using MesErpStreams.Sink;
using MesErpStreams.Sink.Erp;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Cli.Run;

/// <summary>Starts every part of the pipeline in one process, runs the simulator, drains, reconciles, summarises.</summary>
internal sealed class RunHost(RunSettings settings)
{
    private readonly List<Func<ValueTask>> _cleanup = [];

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var dataDir = settings.DataDir?.FullName ?? Path.Combine(Path.GetTempPath(), "meserp-run-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }).SetMinimumLevel(LogLevel.Warning));
        using var metrics = new RunMetrics();
        var clock = Stopwatch.StartNew();
        SupervisedPipeline? processor = null;
        try
        {
            // First, so the exporter sees every instrument from its first increment.
            var endpoint = settings.Metrics is { } m
                ? await MetricsEndpoint.StartAsync(m, [ReadinessCheck.From("processor running", () => processor?.Running == true)], ct)
                : null;
            if (endpoint is not null)
            {
                _cleanup.Add(endpoint.DisposeAsync);
            }

            var kafka = await StartKafkaAsync();
            var registryOptions = await StartRegistryAsync(kafka, ct);
            using var registry = new CachedSchemaRegistryClient(registryOptions);
            await ContractSchemaRegistration.RegisterAllAsync(registry, cancellationToken: ct);
            var erp = await ErpSimulatorHost.StartAsync(new ErpSimulatorOptions
            {
                Port = settings.ErpPort, LedgerPath = Path.Combine(dataDir, "erp-ledger.db"), Faults = new FaultOptions { LatencyMs = settings.ErpLatencyMs },
            }, b => b.SetMinimumLevel(LogLevel.Warning), ct);
            _cleanup.Add(erp.DisposeAsync);
            using var erpHttp = new HttpClient { BaseAddress = erp.BaseAddress };

            processor = await StartProcessorAsync(kafka, registry, dataDir, loggers, ct);
            var sink = StartSink(kafka, registry, erp.BaseAddress, loggers);
            // Not the run's token: BackgroundService links its stopping token to the start token, and the sink must keep
            // posting through the drain after Ctrl-C/SIGTERM (it is stopped by the cleanup below).
            await sink.StartAsync(CancellationToken.None);
            _cleanup.Add(async () => await sink.StopAsync(CancellationToken.None));
            Console.WriteLine($"kafka bootstrap servers: {kafka.BootstrapServers}{(settings.Kafka is null ? " (embedded)" : string.Empty)}");
            Console.WriteLine($"schema registry:         {registryOptions.Url}{(settings.Registry is null ? " (embedded)" : string.Empty)}");
            Console.WriteLine($"ERP simulator:           {erp.BaseAddress} (ledger {Path.Combine(dataDir, "erp-ledger.db")}, added latency {settings.ErpLatencyMs} ms)");
            Console.WriteLine($"state directory:         {dataDir}");
            Console.WriteLine($"metrics:                 {(endpoint is null ? "off" : $"{endpoint.MetricsUrl} (health: {endpoint.Url}health/ready)")}");
            await WaitRunningAsync(processor, TimeSpan.FromMinutes(2), ct);

            var simulator = new MesSimulator(new MesSimulatorOptions
            {
                Seed = settings.Seed, EventsPerSecond = settings.Rate, DuplicateRate = settings.DuplicateRate,
                InvalidRate = settings.InvalidRate, LateMasterDataRate = settings.LateMasterDataRate,
                Plants = settings.Plants, ActiveOrdersPerPlant = settings.ActiveOrdersPerPlant,
            });
            var (simulateFor, drainFor) = Budget(settings.Duration);
            using var stopSimulator = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var window = await OfferWindow.OpenAsync(erpHttp);
            var simulation = simulator.RunAsync(kafka, registry, simulateFor, cancellationToken: stopSimulator.Token);
            var stats = await LiveSummaryAsync(simulation, simulator, metrics, clock);
            var offerEnd = await window.CloseAsync(erpHttp);

            Console.WriteLine($"simulator stopped after {stats.EventsPublished} events; draining (until every posting is in the ERP ledger; after {drainFor.TotalSeconds:0} s only while postings keep arriving; at most {settings.MaxDrain.TotalSeconds:0} s)");
            var expected = simulator.Expected();
            var offer = offerEnd.Figures(stats.EventsPublished, expected.IdempotencyKeys.Count);
            var drain = await DrainAsync(expected, erpHttp, drainFor);
            var reconciliation = await Reconciliation.RunAsync(expected, erpHttp, kafka.BootstrapServers, CancellationToken.None);
            // Cross-check with `meserp reconcile` (topics vs ledger); only on the embedded cluster, which holds this run alone.
            var topicCheck = settings.Kafka is null
                ? await ReconciliationCheck.RunAsync(new ReconciliationCheckOptions { Kafka = kafka, Registry = registryOptions, ErpUrl = erp.BaseAddress }, CancellationToken.None)
                : null;
            await processor.DisposeAsync();
            var summary = RunSummary.From(stats, metrics, reconciliation, offer, drain, clock.Elapsed);
            summary.Print(Console.Out);
            if (topicCheck is not null)
            {
                Console.WriteLine($"reconcile (topics vs ERP ledger): {topicCheck}{string.Concat(topicCheck.GapLines.Select(l => Environment.NewLine + l))}");
            }

            if (settings.SummaryJson is { } path)
            {
                await summary.WriteJsonAsync(path.FullName);
            }

            return reconciliation.Ok && topicCheck?.Ok != false ? 0 : 1;
        }
        finally
        {
            for (var i = _cleanup.Count - 1; i >= 0; i--)
            {
                await _cleanup[i]();
            }

            if (settings.DataDir is null && Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    /// <summary>With a duration, most of it simulates and the rest drains (<see cref="RunBudget"/>); without one, the simulator runs until Ctrl-C.</summary>
    private static (TimeSpan? Simulate, TimeSpan Drain) Budget(TimeSpan? duration)
    {
        if (duration is not { } d)
        {
            return (null, RunBudget.DrainGrace);
        }

        var (offer, drain) = RunBudget.Split(d);
        return (offer, drain + RunBudget.DrainGrace);
    }

    private async Task<KafkaClientOptions> StartKafkaAsync()
    {
        if (settings.Kafka is { } real)
        {
            var results = await new AdminClientTopicProvisioner(real.ToAdminConfig()).ApplyAsync(TopicCatalog.Default);
            foreach (var r in results.Where(r => r.Action is TopicApplyAction.Drifted or TopicApplyAction.Failed))
            {
                Console.WriteLine($"topic {r}");
            }

            return real;
        }

        var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = settings.Brokers });
        _cleanup.Add(() => { cluster.Dispose(); return ValueTask.CompletedTask; });
        var applied = await new EmbeddedTopicProvisioner(cluster).ApplyAsync(TopicCatalog.Default);
        if (applied.FirstOrDefault(r => r.Action == TopicApplyAction.Failed) is { } failed)
        {
            throw new InvalidOperationException($"embedded cluster: {failed}");
        }

        return new KafkaClientOptions { BootstrapServers = cluster.BootstrapServers };
    }

    private async Task<SchemaRegistryClientOptions> StartRegistryAsync(KafkaClientOptions kafka, CancellationToken ct)
    {
        if (settings.Registry is { } real)
        {
            return real;
        }

        var registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions
        {
            BootstrapServers = kafka.BootstrapServers, Url = $"http://127.0.0.1:{settings.RegistryPort}", CreateTopic = false,
        }, ct);
        _cleanup.Add(registry.DisposeAsync);
        return new SchemaRegistryClientOptions { Url = registry.Url };
    }

    private async Task<SupervisedPipeline> StartProcessorAsync(KafkaClientOptions kafka, ISchemaRegistryClient registry, string dataDir, ILoggerFactory loggers, CancellationToken ct)
    {
        var codecs = RegistrySerdes.Codecs(registry, new AvroSerializerConfig());
        var options = new StreamizPipelineOptions(PipelineTopology.DefaultApplicationId, kafka.BootstrapServers!, new Dictionary<string, string>(kafka.Properties),
            Path.Combine(dataDir, "processor"), StreamizPipelineOptions.DefaultCommitInterval);
        var processor = new SupervisedPipeline(dir => new StreamizPipeline(codecs, new PipelineOptions(), options with { StateDirectory = dir }, loggers), options.StateDirectory, loggers);
        _cleanup.Add(processor.DisposeAsync);
        await processor.StartAsync(ct);
        return processor;
    }

    /// <summary>Waits for the processor's tasks and global tables to be ready (it restarts itself after a fatal error); the timeout ends the run.</summary>
    private static async Task WaitRunningAsync(SupervisedPipeline processor, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!processor.Running)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the processor did not reach RUNNING within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(100, ct);
        }
    }

    private ErpSinkService StartSink(KafkaClientOptions kafka, ISchemaRegistryClient registry, Uri erp, ILoggerFactory loggers)
    {
        var options = new ErpSinkOptions
        {
            BootstrapServers = kafka.BootstrapServers,
            Kafka = new Dictionary<string, string>(kafka.Properties),
            RequestsPerSecond = 0,
            RetryDelays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)],
        };
        var sink = ErpSinkService.Create(options, new HttpErpClientOptions { BaseAddress = erp }, registry, loggers);
        _cleanup.Add(() => { sink.Dispose(); return ValueTask.CompletedTask; });
        return sink;
    }

    private async Task<MesSimulatorStats> LiveSummaryAsync(Task<MesSimulatorStats> simulation, MesSimulator simulator, RunMetrics metrics, Stopwatch clock)
    {
        while (!simulation.IsCompleted)
        {
            // Not the run's token: a cancelled delay completes at once and Task.WhenAny does not throw, so after
            // Ctrl-C the loop would spin. The simulator stops on that token, which ends the wait and the loop.
            await Task.WhenAny(simulation, Task.Delay(settings.SummaryInterval, CancellationToken.None));
            if (simulation.IsCompleted)
            {
                break;
            }

            var s = simulator.Stats;
            Console.WriteLine(
                $"[{clock.Elapsed:mm\\:ss}] events {s.EventsPublished} (dup sent {s.DuplicatesSent}, invalid sent {s.InvalidSent}) | dropped dup {metrics.Get("meserp.pipeline.duplicates")} | " +
                $"commands {metrics.Get("meserp.pipeline.commands")} | posted {metrics.Get("meserp.sink.postings", "posted")} dup {metrics.Get("meserp.sink.postings", "duplicate")} " +
                $"rejected {metrics.Get("meserp.sink.postings", "rejected")} | dead letters {metrics.Get("meserp.pipeline.dead_letters") + metrics.Get("meserp.sink.dead_letters")} | " +
                $"e2e p50 {metrics.EndToEnd.PercentileMs(50) ?? 0} ms p99 {metrics.EndToEnd.PercentileMs(99) ?? 0} ms");
        }

        try
        {
            return await simulation;
        }
        catch (OperationCanceledException)
        {
            return simulator.Stats;
        }
    }

    /// <summary>
    /// Waits until the ledger holds every expected posting. After <paramref name="budget"/> it gives up once the ledger
    /// has not grown for <see cref="RunBudget.DrainStall"/> (a stuck pipeline), but keeps waiting while postings still
    /// arrive, up to <see cref="RunSettings.MaxDrain"/>: an overloaded run has a backlog to work off, not a loss to report.
    /// </summary>
    private async Task<DrainResult> DrainAsync(ExpectedPostings expected, HttpClient erp, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        var progress = Stopwatch.StartNew();
        var last = -1;
        var lastReport = TimeSpan.Zero;
        var result = new DrainResult(TimeSpan.Zero, Complete: true, CutOff: false);
        while (true)
        {
            var count = await Reconciliation.LedgerCountAsync(erp, CancellationToken.None);
            if (count >= expected.IdempotencyKeys.Count)
            {
                break;
            }

            if (count != last)
            {
                last = count;
                progress.Restart();
            }

            var stalled = progress.Elapsed >= RunBudget.DrainStall;
            if ((clock.Elapsed >= budget && stalled) || clock.Elapsed >= settings.MaxDrain)
            {
                result = result with { Complete = false, CutOff = !stalled };
                if (!stalled)
                {
                    Console.WriteLine($"drain cut off by --max-drain after {clock.Elapsed.TotalSeconds:0} s with postings still arriving: {count} of {expected.IdempotencyKeys.Count} in the ERP ledger");
                }

                break;
            }

            if (clock.Elapsed >= budget && clock.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"still draining after {clock.Elapsed.TotalSeconds:0} s: {count} of {expected.IdempotencyKeys.Count} postings in the ERP ledger");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        result = result with { Elapsed = clock.Elapsed };
        // Dead letters and results trail the last posting by at most a commit interval or two.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return result;
    }
}
