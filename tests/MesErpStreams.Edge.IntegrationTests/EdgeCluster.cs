using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Pipeline;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Server;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Edge.IntegrationTests;

/// <summary>A one-broker embedded cluster with the catalog, a registry and the contract schemas.</summary>
public sealed class EdgeCluster : IAsyncDisposable
{
    public static readonly string[] EventTopics =
    [
        PipelineTopology.Topics.ProductionConfirmations, PipelineTopology.Topics.ScrapReports,
        PipelineTopology.Topics.MaterialConsumptions, PipelineTopology.Topics.QualityHolds,
    ];

    private readonly EmbeddedPlatform _platform;

    private EdgeCluster(EmbeddedPlatform platform) => _platform = platform;

    public EmbeddedKafkaCluster Cluster => _platform.Cluster;

    public EmbeddedSchemaRegistry Registry => _platform.Registry;

    public CachedSchemaRegistryClient Client => _platform.Client;

    /// <summary>A scratch directory of the platform (removed with it).</summary>
    public string ScratchDirectory => _platform.StateDirectory;

    /// <summary>One broker behind a relay (the tests take it down), the catalog, a registry and the contract schemas.</summary>
    public static async Task<EdgeCluster> StartAsync() => new(await EmbeddedPlatform.StartAsync(brokers: 1, proxyConnections: true));

    /// <summary>Reads every committed record of the event topics: (event id header, key, topic).</summary>
    public List<(Guid EventId, string Key, string Topic, long Seq)> ReadEvents(int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers, GroupId = EmbeddedKafkaFixture.UniqueName("edge-verify"),
            AutoOffsetReset = AutoOffsetReset.Earliest, IsolationLevel = IsolationLevel.ReadCommitted, EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(EventTopics);
        var result = new List<(Guid, string, string, long)>();
        var deadline = DateTime.UtcNow + timeout;
        var quietUntil = DateTime.MaxValue;
        while (DateTime.UtcNow < deadline && DateTime.UtcNow < quietUntil)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is null)
            {
                continue;
            }

            var id = Guid.Parse(Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(EdgeHeaders.EventId)));
            var seq = long.Parse(Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(EdgeHeaders.Sequence)), System.Globalization.CultureInfo.InvariantCulture);
            result.Add((id, r.Message.Key, r.Topic, seq));
            if (result.Count >= expected && quietUntil == DateTime.MaxValue)
            {
                // Keep reading a little to catch a wrongly duplicated record.
                quietUntil = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            }
        }

        return result;
    }

    public ValueTask DisposeAsync() => _platform.DisposeAsync();

    /// <summary>Events over a few work orders and one hold key, in a fixed order.</summary>
    public static List<object> SampleEvents(int count)
    {
        var events = new List<object>(count);
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < count; i++)
        {
            var order = "40000" + (i % 5).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var id = Guid.NewGuid();
            object e = (i % 4) switch
            {
                0 => new ProductionConfirmation
                {
                    EventId = id, Plant = "1000", SourceSystem = "MES-T", OccurredAt = at.AddSeconds(i), Sequence = i, WorkOrder = order,
                    Operation = "0010", WorkCenter = "WC-1", YieldQuantity = new Quantity { Value = 1.5m + i, Unit = "PC" }, FinalConfirmation = false,
                },
                1 => new ScrapReport
                {
                    EventId = id, Plant = "1000", SourceSystem = "MES-T", OccurredAt = at.AddSeconds(i), Sequence = i, WorkOrder = order,
                    Operation = "0010", Material = "FG-1", Quantity = new Quantity { Value = 1m, Unit = "PC" }, ReasonCode = "S01",
                },
                2 => new MaterialConsumption
                {
                    EventId = id, Plant = "1000", SourceSystem = "MES-T", OccurredAt = at.AddSeconds(i), Sequence = i, WorkOrder = order,
                    Operation = "0010", ComponentMaterial = "RM-1", Quantity = new Quantity { Value = 0.25m, Unit = "KG" }, Batch = "B1",
                },
                _ => new QualityHold
                {
                    EventId = id, Plant = "1000", SourceSystem = "MES-T", OccurredAt = at.AddSeconds(i), Sequence = i, HoldId = "H" + i,
                    Action = QualityHoldAction.Placed, Material = "FG-1", Batch = "B" + (i % 3), ReasonCode = "Q1",
                },
            };
            events.Add(e);
        }

        return events;
    }
}
