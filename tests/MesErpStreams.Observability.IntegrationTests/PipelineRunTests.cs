using System.CommandLine;
using Confluent.Kafka;
using MesErpStreams.Contracts;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Kafka.Provisioning;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Pipeline.Hosting;
using MesErpStreams.Pipeline.IntegrationTests;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.SchemaRegistry.Server;
using MesErpStreams.Observability.UnitTests;
using MesErpStreams.TestUtils;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Observability.IntegrationTests;

/// <summary>
/// The real processor (`meserp process`, invoked in-process) on the embedded cluster, exported by the endpoint and
/// scraped by a real Prometheus: the names the dashboards and alerts use for the processor are the names a real run
/// produces, and the real exposition passes promtool.
/// </summary>
public sealed class PipelineRunTests : IAsyncLifetime
{
    /// <summary>Metrics that only appear on faults (aborted transactions, undeserializable input, restores after a restart).</summary>
    private static readonly string[] FaultOnly =
    [
        "meserpstreams_streams_meserp_streams_transactions_aborted", "meserpstreams_streams_meserp_streams_records_dead_lettered",
        "meserpstreams_streams_meserp_streams_restore_records", "meserpstreams_streams_meserp_streams_restore_remaining",
    ];

    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "meserp-obs-it-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _stop = new();
    private EmbeddedKafkaCluster _cluster = null!;
    private EmbeddedSchemaRegistry _registry = null!;
    private CachedSchemaRegistryClient _client = null!;
    private MetricsEndpointHandle _endpoint = null!;
    private Task<int> _processor = Task.FromResult(0);

    public async Task InitializeAsync()
    {
        _endpoint = await MetricsEndpoint.StartAsync(new MetricsEndpointOptions { Port = 0 });
        _cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        await new EmbeddedTopicProvisioner(_cluster).ApplyAsync(TopicCatalog.Default);
        _registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { BootstrapServers = _cluster.BootstrapServers, CreateTopic = false });
        _client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = _registry.Url });
        await ContractSchemaRegistration.RegisterAllAsync(_client);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _processor;
        _client.Dispose();
        await _registry.DisposeAsync();
        _cluster.Dispose();
        await _endpoint.DisposeAsync();
        _stop.Dispose();
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_real_processor_run_exposes_the_metrics_the_dashboards_and_alerts_use()
    {
        var stream = new GeneratedStream(seed: 7, orders: 6, eventsPerOrder: 10);
        await ProduceAsync(T.Materials, stream.Materials, m => EventKeys.Material(m.Plant, m.MaterialNumber));
        await ProduceAsync(T.WorkOrders, stream.EarlyOrders, o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));
        var args = new[]
        {
            "--bootstrap-servers", _cluster.BootstrapServers, "--schema-registry-url", _registry.Url,
            "--state-dir", _stateDir, "--pending-timeout", "3s",
        };
        var parse = ProcessCommand.Create().Parse(args);
        parse.Errors.Should().BeEmpty();
        _processor = Task.Run(() => parse.InvokeAsync(cancellationToken: _stop.Token));

        await ProduceEventsAsync(stream.Events);
        await ProduceEventsAsync(stream.Duplicates);
        await ProduceAsync(T.WorkOrders, stream.LateOrders, o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));
        using var http = new HttpClient();
        var last = string.Empty;
        var wait = Eventually.TrueAsync(async () =>
        {
            var text = last = await http.GetStringAsync(_endpoint.MetricsUrl);
            return _processor.IsCompleted || (text.Contains("meserpstreams_pipeline_meserp_pipeline_commands{", StringComparison.Ordinal)
                && text.Contains("meserpstreams_pipeline_meserp_pipeline_duplicates{", StringComparison.Ordinal)
                && text.Contains("reason=\"" + RejectReasons.MasterDataMissing + "\"", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(90), "commands, duplicates and a master-data timeout in the processor's metrics");
        try
        {
            await wait;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "; last exposition:\n" + string.Join('\n', last.Split('\n').Where(l => !l.StartsWith('#') && !l.Contains("_bucket", StringComparison.Ordinal))), e);
        }

        _processor.IsCompleted.Should().BeFalse("the processor keeps running");

        var exposition = await http.GetStringAsync(_endpoint.MetricsUrl);
        var (exit, output) = await Promtool.RunAsync(exposition, "check", "metrics");
        output.Should().BeEmpty("promtool found problems in:\n" + exposition);
        exit.Should().Be(0);

        await using var prometheus = await PrometheusServer.StartAsync("meserp-process", _endpoint.Url, [MonitoringAssets.AlertsFile]);
        using var promHttp = new HttpClient { BaseAddress = prometheus.Url };
        var verifier = new MonitoringVerifier(promHttp);
        await Eventually.TrueAsync(async () => (await verifier.QueryAsync("up{job=\"meserp-process\"} == 1")).Count == 1,
            TimeSpan.FromSeconds(30), "a scrape of the processor\n" + prometheus.Log, TimeSpan.FromMilliseconds(250));
        var scraped = await verifier.MetricNamesAsync();
        var used = MonitoringAssets.DashboardFiles.SelectMany(MonitoringAssets.DashboardQueries).Select(q => q.Expr)
            .Concat(MonitoringAssets.AlertExpressions(MonitoringAssets.AlertsFile).Select(a => a.Expr))
            .SelectMany(e => System.Text.RegularExpressions.Regex.Matches(e, @"\bmeserpstreams_(pipeline|streams)_[a-zA-Z0-9_:]*").Select(m => m.Value))
            .Distinct(StringComparer.Ordinal).Except(FaultOnly, StringComparer.Ordinal).ToList();

        used.Should().NotBeEmpty();
        used.Where(n => !scraped.Contains(n)).Should().BeEmpty("a real processor run exposes every processor metric the dashboards and alerts name");
    }

    private async Task ProduceEventsAsync(IEnumerable<object> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case ProductionConfirmation x: await ProduceAsync(T.ProductionConfirmations, [x], v => EventKeys.WorkOrder(v.Plant, v.WorkOrder)); break;
                case ScrapReport x: await ProduceAsync(T.ScrapReports, [x], v => EventKeys.WorkOrder(v.Plant, v.WorkOrder)); break;
                case MaterialConsumption x: await ProduceAsync(T.MaterialConsumptions, [x], v => EventKeys.WorkOrder(v.Plant, v.WorkOrder)); break;
                default: throw new ArgumentException("unknown event");
            }
        }
    }

    private async Task ProduceAsync<TV>(string topic, IEnumerable<TV> values, Func<TV, string> key)
        where TV : IAvroContract<TV>
    {
        using var p = new ProducerBuilder<string, TV>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers, EnableIdempotence = true })
            .SetValueSerializer(new AvroSerializer<TV>(_client, TV.Schema)).Build();
        foreach (var v in values)
        {
            await p.ProduceAsync(topic, new Message<string, TV> { Key = key(v), Value = v });
        }
    }
}
