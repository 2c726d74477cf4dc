using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using MesErpStreams.Contracts;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Kafka.Provisioning;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.SchemaRegistry.Server;
using MesErpStreams.TestUtils;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Pipeline.IntegrationTests;

/// <summary>
/// <c>meserp process</c> as a child process on an embedded cluster of its own per test; the tests are in several classes
/// so that xunit runs two at a time (most of their time is waiting: restarts, sessions, restores).
/// </summary>
public abstract class ProcessorTestBase : IAsyncLifetime
{
    private protected EmbeddedPlatform _platform = null!;

    public async Task InitializeAsync() => _platform = await EmbeddedPlatform.StartAsync();

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    private protected int LiveEntries(string topic)
    {
        var latest = new Dictionary<string, bool>(StringComparer.Ordinal);
        MesErpStreams.Kafka.TopicReading.ReadToEnd(_platform.Cluster.BootstrapServers, topic, partitions: null, IsolationLevel.ReadCommitted,
            TimeSpan.FromSeconds(10), r => latest[Convert.ToBase64String(r.Message.Key)] = r.Message.Value is not null);
        return latest.Count(kv => kv.Value);
    }

    /// <summary>Every expected command exactly once: none twice, none lost (<paramref name="across"/> names what happened).</summary>
    private protected static void ShouldBeExactlyOnce(List<ErpPostingCommand> commands, Dictionary<string, ErpPostingCommand> expected, string across)
    {
        commands.Select(c => c.IdempotencyKey).Should().OnlyHaveUniqueItems($"no command is emitted twice {across}");
        commands.Select(c => c.IdempotencyKey).Should().BeEquivalentTo(expected.Keys, $"no command is lost {across}");
    }

    private protected static string Tail(string s) => s.Length > 6000 ? s[^6000..] : s;

    private protected static Dictionary<string, ErpPostingCommand> Expected(GeneratedStream stream)
    {
        var master = new MasterData(stream);
        var result = new Dictionary<string, ErpPostingCommand>();
        foreach (var e in stream.Events.Select(MesEventOf))
        {
            if (stream.Invalid.Contains(e.EventId) || e.WorkOrder == stream.OrphanOrders[0].OrderNumber)
            {
                continue;
            }

            var c = CommandMapper.Map(e, master, DateTimeOffset.UtcNow, new MappingOptions()).Command
                ?? throw new InvalidOperationException($"generated event {e.EventId} does not map");
            result.Add(c.IdempotencyKey, c);
        }

        return result;
    }

    private protected static MesEvent MesEventOf(object e) => e switch
    {
        ProductionConfirmation x => MesEvent.From(x),
        ScrapReport x => MesEvent.From(x),
        MaterialConsumption x => MesEvent.From(x),
        QualityHold x => MesEvent.From(x),
        _ => throw new ArgumentException("unknown event"),
    };

    /// <summary>
    /// Reads commands until at least <paramref name="atLeast"/> arrived (the processor still running), then gives a
    /// wrongly repeated one 3 s to show up and reads those too.
    /// </summary>
    private protected static async Task CollectCommandsAsync(MeserpProcess processor, IConsumer<string, ErpPostingCommand> consumer, List<ErpPostingCommand> commands, int atLeast, string what)
    {
        await Eventually.TrueAsync(() =>
        {
            KafkaRecords.Drain(consumer, r => commands.Add(r.Message.Value));
            return processor.HasExited || commands.Count >= atLeast;
        }, TimeSpan.FromSeconds(90), what);
        processor.HasExited.Should().BeFalse(Tail(processor.Stderr));
        await Task.Delay(TimeSpan.FromSeconds(3));
        KafkaRecords.Drain(consumer, r => commands.Add(r.Message.Value));
    }

    /// <summary><c>meserp process</c> on the platform with <paramref name="stateDir"/> and a 30 s pending timeout.</summary>
    private protected string[] ProcessArgs(string stateDir) =>
        ["process", "--bootstrap-servers", _platform.Cluster.BootstrapServers, "--schema-registry-url", _platform.RegistryUrl,
            "--state-dir", stateDir, "--pending-timeout", "30s"];

    /// <summary>Produces the events in slices of 20 (per order in event order) with a pause after each.</summary>
    private protected Task FeedAsync(GeneratedStream stream, TimeSpan pause, Action<int>? fed = null) => Task.Run(async () =>
    {
        foreach (var slice in stream.Events.Chunk(20))
        {
            await ProduceEventsAsync(slice);
            fed?.Invoke(slice.Length);
            await Task.Delay(pause);
        }
    });

    /// <summary>Produces every material and every work order (early and late) of <paramref name="stream"/>; returns it with its expected commands.</summary>
    private protected async Task<(GeneratedStream Stream, Dictionary<string, ErpPostingCommand> Expected)> WithMasterDataAsync(GeneratedStream stream)
    {
        await ProduceAsync(T.Materials, stream.Materials, m => EventKeys.Material(m.Plant, m.MaterialNumber));
        await ProduceAsync(T.WorkOrders, stream.EarlyOrders.Concat(stream.LateOrders), o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));
        return (stream, Expected(stream));
    }

    private protected Task ProduceEventsAsync(IReadOnlyCollection<object> events) => Task.WhenAll(
        ProduceAsync(T.ProductionConfirmations, events.OfType<ProductionConfirmation>(), v => EventKeys.WorkOrder(v.Plant, v.WorkOrder)),
        ProduceAsync(T.ScrapReports, events.OfType<ScrapReport>(), v => EventKeys.WorkOrder(v.Plant, v.WorkOrder)),
        ProduceAsync(T.MaterialConsumptions, events.OfType<MaterialConsumption>(), v => EventKeys.WorkOrder(v.Plant, v.WorkOrder)));

    private protected async Task ProduceAsync<TV>(string topic, IEnumerable<TV> values, Func<TV, string> key)
        where TV : IAvroContract<TV>
    {
        using var p = new ProducerBuilder<string, TV>(new ProducerConfig { BootstrapServers = _platform.Cluster.BootstrapServers, EnableIdempotence = true })
            .SetValueSerializer(new AvroSerializer<TV>(_platform.Client, TV.Schema)).Build();
        // Sent together (the producer batches them); per key the idempotent producer keeps the order.
        await Task.WhenAll(values.Select(v => p.ProduceAsync(topic, new Message<string, TV> { Key = key(v), Value = v })));
    }

    /// <summary>A read_committed consumer of <paramref name="topic"/> from its start: subscribed in a group of its own, or
    /// (<paramref name="assign"/>) assigned every partition, so that it sends no heartbeats.</summary>
    private protected IConsumer<string, TV> Consumer<TV>(string topic, bool raw = false, bool assign = false)
        where TV : class
    {
        var b = new ConsumerBuilder<string, TV>(new ConsumerConfig
        {
            BootstrapServers = _platform.Cluster.BootstrapServers, GroupId = EmbeddedKafkaFixture.UniqueName("verify"),
            AutoOffsetReset = AutoOffsetReset.Earliest, IsolationLevel = IsolationLevel.ReadCommitted, EnableAutoCommit = false,
        });
        if (!raw)
        {
            b.SetValueDeserializer((IDeserializer<TV>)(object)new AvroDeserializer<ErpPostingCommand>(_platform.Client, ErpPostingCommand.Schema).AsSyncOverAsync());
        }

        var c = b.Build();
        if (assign)
        {
            var partitions = TopicCatalog.Default.Topics.Single(t => t.Name == topic).Partitions;
            c.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        }
        else
        {
            c.Subscribe(topic);
        }

        return c;
    }

    /// <summary>`meserp process` restarted whenever it has exited, as a supervisor would, up to a number of restarts; the output of the runs before the current one is kept.</summary>
    private protected sealed class SupervisedProcessor(string[] args, int maxRestarts) : IAsyncDisposable
    {
        private readonly System.Text.StringBuilder _earlier = new();

        public MeserpProcess Current { get; private set; } = MeserpProcess.Start(args);

        public int Restarts { get; private set; }

        public string EarlierOutput => _earlier.ToString();

        public void RestartIfExited()
        {
            if (Current.HasExited && Restarts < maxRestarts)
            {
                _earlier.Append(Current.Stdout).Append(Current.Stderr);
                Restarts++;
                Current = MeserpProcess.Start(args);
            }
        }

        public ValueTask DisposeAsync() => Current.DisposeAsync();
    }

    private protected sealed class MasterData(GeneratedStream s) : IMasterData
    {
        public WorkOrder? FindWorkOrder(string plant, string orderNumber) =>
            s.EarlyOrders.Concat(s.LateOrders).FirstOrDefault(o => o.Plant == plant && o.OrderNumber == orderNumber);

        public Material? FindMaterial(string plant, string materialNumber) =>
            s.Materials.FirstOrDefault(m => m.Plant == plant && m.MaterialNumber == materialNumber);
    }
}
