using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Edge;
using MesErpStreams.Kafka.Configuration;
using MesErpStreams.Pipeline;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Lineage.IntegrationTests;

/// <summary>
/// One <c>meserp run</c> (embedded Kafka and registry, ERP simulator, processor, sink, a slow MES simulator) for the
/// class, plus this test's own master data for plant 9100 and three events published through <c>meserp edge publish</c>:
/// a valid one, a valid one sent twice, an invalid one (negative yield), and one of an order the ERP never sends.
/// </summary>
public sealed class PipelineRunFixture : IAsyncLifetime
{
    public const string Plant = "9100";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "meserp-lineage-" + Guid.NewGuid().ToString("N"));
    private MeserpProcess? _run;

    public string BootstrapServers { get; private set; } = string.Empty;

    public string RegistryUrl { get; private set; } = string.Empty;

    public Guid Posted { get; } = Guid.NewGuid();

    public Guid SentTwice { get; } = Guid.NewGuid();

    public Guid Invalid { get; } = Guid.NewGuid();

    /// <summary>An event of an order whose master data is never published: it waits in the processor's pending store.</summary>
    public Guid Waiting { get; } = Guid.NewGuid();

    /// <summary>The order of <see cref="Waiting"/>, which the ERP never sends.</summary>
    public string UnknownOrder => Order + "W";

    public string Order { get; } = "L" + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _run = MeserpProcess.Start("run", "--rate", "2", "--duplicate-rate", "0", "--invalid-rate", "0", "--duration", "10m", "--data-dir", Path.Combine(_dir, "run"));
        await Eventually.TrueAsync(() => _run.Stdout.Contains("metrics:", StringComparison.Ordinal) || _run.HasExited, Bound, "meserp run to print its addresses");
        _run.HasExited.Should().BeFalse($"meserp run should keep running; stderr:\n{_run.Stderr}");
        BootstrapServers = Value(_run.Stdout, "kafka bootstrap servers:");
        RegistryUrl = Value(_run.Stdout, "schema registry:");
        await PublishMasterDataAsync();
        var lines = new[] { Line(Posted, 3m), Line(SentTwice, 4m), Line(SentTwice, 4m), Line(Invalid, -2m), Line(Waiting, 5m, UnknownOrder) };
        var file = Path.Combine(_dir, "events.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        var (exit, stdout, stderr) = await MeserpProcess.RunAsync(Bound, "edge", "publish", file, "--bootstrap-servers", BootstrapServers,
            "--schema-registry-url", RegistryUrl, "--outbox", Path.Combine(_dir, "outbox.db"));
        exit.Should().Be(0, $"edge publish should accept and forward every line; stdout:\n{stdout}\nstderr:\n{stderr}");
    }

    public async Task DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    public KafkaClientOptions Kafka => new() { BootstrapServers = BootstrapServers };

    /// <summary>Runs <c>meserp trace</c> against the run's cluster and registry.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> TraceAsync(params string[] args) =>
        MeserpProcess.RunAsync(Bound, ["trace", .. args, "--bootstrap-servers", BootstrapServers, "--schema-registry-url", RegistryUrl]);

    /// <summary>Every record of <paramref name="topic"/> whose <c>meserp.event.id</c> header names <paramref name="eventId"/>.</summary>
    public List<ConsumeResult<string, byte[]>> Records(string topic, Guid eventId)
    {
        var config = Kafka.ToConsumerConfig("lineage-test-" + Guid.NewGuid().ToString("N"), [new("enable.auto.commit", "false"), new("enable.partition.eof", "true")]);
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        using var admin = new AdminClientBuilder(Kafka.ToAdminConfig()).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var open = partitions.Where(tp => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value > 0).ToHashSet();
        consumer.Assign(open.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        var found = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (open.Count > 0 && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                open.Remove(r.TopicPartition);
                continue;
            }

            if (r.Message.Headers.TryGetLastBytes(PipelineHeaders.EventId, out var id) && Encoding.UTF8.GetString(id) == eventId.ToString())
            {
                found.Add(r);
            }
        }

        open.Should().BeEmpty($"{topic} should be read to its end");
        return found;
    }

    private static string Value(string stdout, string label)
    {
        var line = stdout.Split('\n').First(l => l.StartsWith(label, StringComparison.Ordinal));
        return line[label.Length..].Trim().Split(' ')[0];
    }

    private string Line(Guid id, decimal yield, string? order = null) => MesEventJson.Format(new ProductionConfirmation
    {
        EventId = id, Plant = Plant, SourceSystem = "lineage-test", OccurredAt = DateTimeOffset.UtcNow, Sequence = 1,
        WorkOrder = order ?? Order, Operation = "0010", WorkCenter = "WC-L", FinalConfirmation = false,
        YieldQuantity = new Quantity { Value = yield, Unit = "PC" },
    });

    private async Task PublishMasterDataAsync()
    {
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = RegistryUrl });
        var materials = new AvroSerializer<Material>(registry, Material.Schema);
        var orders = new AvroSerializer<WorkOrder>(registry, WorkOrder.Schema);
        using var producer = new ProducerBuilder<string, byte[]>(Kafka.ToProducerConfig([new("acks", "all")])).Build();
        var material = new Material
        {
            MaterialNumber = "FG-LIN", Plant = Plant, BaseUnit = "PC", BatchManaged = false, AlternativeUnits = [],
            DefaultStorageLocation = "SL01", ChangedAt = DateTimeOffset.UtcNow,
        };
        var order = new WorkOrder
        {
            OrderNumber = Order, Plant = Plant, Material = "FG-LIN", PlannedQuantity = 100m, PlannedUnit = "PC", Status = WorkOrderStatus.Released,
            ReceivingStorageLocation = "FG01", ChangedAt = DateTimeOffset.UtcNow,
            Operations = [new WorkOrderOperation { OperationNumber = "0010", WorkCenter = "WC-L", CostCenter = "CC-1" }], Components = [],
        };
        await producer.ProduceAsync(PipelineTopology.Topics.Materials, new Message<string, byte[]>
        {
            Key = EventKeys.Material(Plant, material.MaterialNumber),
            Value = await materials.SerializeAsync(material, new SerializationContext(MessageComponentType.Value, PipelineTopology.Topics.Materials)),
        });
        await producer.ProduceAsync(PipelineTopology.Topics.WorkOrders, new Message<string, byte[]>
        {
            Key = EventKeys.WorkOrder(Plant, Order),
            Value = await orders.SerializeAsync(order, new SerializationContext(MessageComponentType.Value, PipelineTopology.Topics.WorkOrders)),
        });
    }

    /// <summary>The trace id of a record's traceparent header.</summary>
    public static string TraceId(ConsumeResult<string, byte[]> r) =>
        TraceParent.Parse(Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(PipelineHeaders.TraceParent))).TraceId;

    /// <summary>The parent (span) id of a record's traceparent header.</summary>
    public static string SpanId(ConsumeResult<string, byte[]> r) =>
        TraceParent.Parse(Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(PipelineHeaders.TraceParent))).ParentId;
}
