using System.Globalization;
using MesErpStreams.Harness;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Kafka.Provisioning;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Server;

namespace MesErpStreams.Chaos;

/// <summary>
/// Everything a run needs, deployed the way plants run it: the embedded 3-broker cluster (with its fault API, behind
/// relays so a broker taken down really drops its connections) and the schema registry in this process; the ERP
/// simulator, two processors in one group, two sinks in one group and one edge per plant as separate
/// <c>meserp</c> processes. Secrets (the ERP tokens) reach the processes only through their environment.
/// </summary>
internal sealed class ChaosPlatform : IAsyncDisposable
{
    /// <summary>The processors' application id: the default, whose changelog topics the topic catalog provisions.</summary>
    public const string ProcessorGroup = "meserp-processor";
    /// <summary>The sinks' group: the default, which owns the catalog's retry tiers.</summary>
    public const string SinkGroup = Sink.ErpSinkOptions.DefaultGroupId;

    /// <summary>The sinks' retry tier delays (short, so a run exercises every tier).</summary>
    public const string SinkRetryDelays = "2s,10s,30s";

    private readonly ChaosOptions _options;
    private readonly List<ChildProcess> _all = [];

    private ChaosPlatform(ChaosOptions options, string workDirectory, EmbeddedKafkaCluster cluster)
    {
        _options = options;
        WorkDirectory = workDirectory;
        Cluster = cluster;
        LogDirectory = Directory.CreateDirectory(Path.Combine(workDirectory, "logs")).FullName;
        ErpToken = "erp-" + Guid.NewGuid().ToString("N");
        AdminToken = "adm-" + Guid.NewGuid().ToString("N");
        ErpPort = LoopbackPorts.Free();
        RegistryPort = LoopbackPorts.Free();
    }

    public string WorkDirectory { get; }

    public string LogDirectory { get; }

    public EmbeddedKafkaCluster Cluster { get; }

    public EmbeddedSchemaRegistry? Registry { get; private set; }

    public string RegistryUrl => $"http://127.0.0.1:{RegistryPort}";

    public int RegistryPort { get; }

    public int ErpPort { get; }

    public Uri ErpUrl => new($"http://127.0.0.1:{ErpPort}/");

    /// <summary>Bearer token of the ERP API (the sink's secret).</summary>
    public string ErpToken { get; }

    /// <summary>Bearer token of the ERP simulator's admin endpoints.</summary>
    public string AdminToken { get; }

    public ChildProcess Erp { get; private set; } = null!;

    public IReadOnlyList<ChildProcess> Processors { get; private set; } = [];

    public IReadOnlyList<ChildProcess> Sinks { get; private set; } = [];

    public IReadOnlyList<ChildProcess> Edges { get; private set; } = [];

    public IReadOnlyList<ChildProcess> All => _all;

    public static async Task<ChaosPlatform> StartAsync(ChaosOptions options, string workDirectory, TextWriter log, CancellationToken ct)
    {
        var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = FaultSchedule.Brokers, ProxyConnections = true });
        var platform = new ChaosPlatform(options, workDirectory, cluster);
        try
        {
            await platform.StartInternalAsync(log, ct);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the registry again on the same port (its state is the <c>_schemas</c> topic).</summary>
    public async Task StartRegistryAsync(CancellationToken ct)
    {
        Registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions
        {
            BootstrapServers = Cluster.BootstrapServers, Url = RegistryUrl, CreateTopic = false,
        }, ct);
    }

    public async Task StopRegistryAsync()
    {
        if (Registry is { } r)
        {
            Registry = null;
            await r.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _all)
        {
            await p.DisposeAsync();
        }

        await StopRegistryAsync();
        Cluster.Dispose();
    }

    private async Task StartInternalAsync(TextWriter log, CancellationToken ct)
    {
        var results = await new EmbeddedTopicProvisioner(Cluster).ApplyAsync(TopicCatalog.Default, ct);
        if (results.Any(r => r.Action == TopicApplyAction.Failed))
        {
            throw new InvalidOperationException("topic provisioning failed: " + string.Join("; ", results.Where(r => r.Action == TopicApplyAction.Failed)));
        }

        // Known coordinators: the processors' and sinks' groups (and so their transactions' offsets) live on one broker,
        // which the schedule takes down on purpose.
        Cluster.SetCoordinator("group", ProcessorGroup, FaultSchedule.CoordinatorBroker);
        Cluster.SetCoordinator("group", SinkGroup, FaultSchedule.CoordinatorBroker);
        await StartRegistryAsync(ct);
        using (var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = RegistryUrl }))
        {
            await ContractSchemaRegistration.RegisterAllAsync(client, cancellationToken: ct);
        }

        var bootstrap = Cluster.BootstrapServers;
        var none = new Dictionary<string, string>();
        Erp = Add(new ChildProcess("erp-sim", _options.Meserp,
            ["erp-sim", "--port", ErpPort.ToString(CultureInfo.InvariantCulture), "--ledger", Path.Combine(WorkDirectory, "erp-ledger.db"),
             "--seed", _options.Seed.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["MESERP_ERPSIM_TOKEN"] = ErpToken, ["MESERP_ERPSIM_ADMIN_TOKEN"] = AdminToken }, LogDirectory));
        Processors = [.. Enumerable.Range(0, 2).Select(i => Add(new ChildProcess($"processor-{i}", _options.Meserp,
            ["process", "--bootstrap-servers", bootstrap, "--schema-registry-url", RegistryUrl, "--application-id", ProcessorGroup,
             "--state-dir", Path.Combine(WorkDirectory, $"processor-{i}")], none, LogDirectory)))];
        Sinks = [.. Enumerable.Range(0, 2).Select(i => Add(new ChildProcess($"sink-{i}", _options.Meserp,
            ["sink", "--bootstrap-servers", bootstrap, "--schema-registry-url", RegistryUrl, "--erp-url", ErpUrl.ToString(), "--group", SinkGroup,
             "--rps", "0", "--erp-timeout", "3s", "--retry-delays", SinkRetryDelays],
            new Dictionary<string, string> { ["MESERP_SINK_ERP_TOKEN"] = ErpToken }, LogDirectory)))];
        Edges = [.. Enumerable.Range(0, _options.Plants).Select(i => Add(new ChildProcess($"edge-{i}", _options.Meserp,
            ["edge", "publish", "-", "--bootstrap-servers", bootstrap, "--schema-registry-url", RegistryUrl,
             "--outbox", Path.Combine(WorkDirectory, $"edge-{i}", "outbox.db"), "--batch-size", "200", "--linger", "100ms"],
            none, LogDirectory, redirectStdin: true)))];
        foreach (var p in _all)
        {
            p.Start();
        }

        await ErpLedger.WaitUntilUpAsync(ErpUrl, TimeSpan.FromSeconds(30), Erp.LogPath, ct);
        await log.WriteLineAsync($"platform: {FaultSchedule.Brokers} brokers {bootstrap}, registry {RegistryUrl}, ERP {ErpUrl}, " +
                                 $"{Processors.Count} processors, {Sinks.Count} sinks, {Edges.Count} edges; logs in {LogDirectory}");
    }

    private ChildProcess Add(ChildProcess p)
    {
        _all.Add(p);
        return p;
    }
}
