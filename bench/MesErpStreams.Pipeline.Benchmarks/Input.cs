using Confluent.Kafka;
using MesErpStreams.Contracts;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

/// <summary>The benchmark's input: master data for every order, then the events.</summary>
internal static class Input
{
    private const int Orders = 5_000;

    /// <summary>Produces everything; returns the end offset of every input partition.</summary>
    public static async Task<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(string bootstrap, ISchemaRegistryClient registry, int records)
    {
        var now = DateTimeOffset.UtcNow;
        await ProduceAsync(bootstrap, registry, T.Materials, [Material(now)], m => EventKeys.Material(m.Plant, m.MaterialNumber));
        await ProduceAsync(bootstrap, registry, T.WorkOrders, Enumerable.Range(0, Orders).Select(i => Order(i, now)), o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));
        var ids = new Guid[records];
        await ProduceAsync(bootstrap, registry, T.ProductionConfirmations, Enumerable.Range(0, records).Select(i =>
        {
            // Every tenth event repeats an earlier id (a redelivery the dedupe must drop).
            ids[i] = i % 10 == 9 ? ids[i - 5] : Guid.NewGuid();
            return Event(ids[i], i, now);
        }), e => EventKeys.WorkOrder(e.Plant, e.WorkOrder));
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "bench-watermarks" }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var partitions = admin.GetMetadata(T.ProductionConfirmations, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        return partitions.Select(p => new TopicPartitionOffset(T.ProductionConfirmations, p.PartitionId,
            consumer.QueryWatermarkOffsets(new TopicPartition(T.ProductionConfirmations, p.PartitionId), TimeSpan.FromSeconds(10)).High)).ToList();
    }

    private static ProductionConfirmation Event(Guid id, int i, DateTimeOffset now) => new()
    {
        EventId = id, Plant = "P100", SourceSystem = "bench", OccurredAt = now.AddMinutes(-10), Sequence = i,
        WorkOrder = OrderNumber(i % Orders), Operation = "0010", WorkCenter = "WC-A",
        YieldQuantity = new Quantity { Value = 12.5m + (i % 7), Unit = "EA" }, FinalConfirmation = false,
        Trace = new TraceContext { Traceparent = $"00-{id:N}-{id.ToString("N")[..16]}-01" },
    };

    private static WorkOrder Order(int i, DateTimeOffset now) => new()
    {
        OrderNumber = OrderNumber(i), Plant = "P100", Material = "FG-100", PlannedQuantity = 100m, PlannedUnit = "EA",
        Status = WorkOrderStatus.Released, ReceivingStorageLocation = "FG01", ChangedAt = now.AddDays(-1),
        Operations = [new WorkOrderOperation { OperationNumber = "0010", WorkCenter = "WC-A", CostCenter = "CC-4711" }],
        Components = [],
    };

    private static Material Material(DateTimeOffset now) => new()
    {
        MaterialNumber = "FG-100", Plant = "P100", BaseUnit = "EA", BatchManaged = false, AlternativeUnits = [],
        DefaultStorageLocation = "SL01", ChangedAt = now.AddDays(-1),
    };

    private static string OrderNumber(int i) => $"{1_000_000 + i}";

    private static async Task ProduceAsync<TV>(string bootstrap, ISchemaRegistryClient registry, string topic, IEnumerable<TV> values, Func<TV, string> key)
        where TV : IAvroContract<TV>
    {
        using var producer = new ProducerBuilder<string, TV>(new ProducerConfig
        {
            BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 20, BatchNumMessages = 10_000,
        }).SetValueSerializer(new AvroSerializer<TV>(registry, TV.Schema)).Build();
        var pending = new List<Task>();
        foreach (var v in values)
        {
            pending.Add(producer.ProduceAsync(topic, new Message<string, TV> { Key = key(v), Value = v }));
            if (pending.Count >= 20_000)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
    }
}
