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

public sealed class ProcessorProcessTests : IAsyncLifetime
{
    private EmbeddedPlatform _platform = null!;

    public async Task InitializeAsync() => _platform = await EmbeddedPlatform.StartAsync();

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Processor_process_emits_exactly_the_expected_commands_and_dead_letters_every_invalid_event()
    {
        var stream = new GeneratedStream(seed: 42, orders: 12, eventsPerOrder: 25);
        await ProduceAsync(T.Materials, stream.Materials, m => EventKeys.Material(m.Plant, m.MaterialNumber));
        await ProduceAsync(T.WorkOrders, stream.EarlyOrders, o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));

        await using var processor = MeserpProcess.Start("process", "--bootstrap-servers", _platform.Cluster.BootstrapServers,
            "--schema-registry-url", _platform.RegistryUrl, "--state-dir", _platform.StateDirectory, "--pending-timeout", "30s", "--track-offsets-in-changelog");

        await ProduceEventsAsync(stream.Events);
        await ProduceEventsAsync(stream.Duplicates);
        await ProduceAsync(T.WorkOrders, stream.LateOrders, o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));

        var expected = Expected(stream);
        var orphanEvents = stream.Events.Select(MesEventOf).Where(e => e.WorkOrder == stream.OrphanOrders[0].OrderNumber && !stream.Invalid.Contains(e.EventId)).ToList();
        var commands = new List<ErpPostingCommand>();
        var deadLetters = new List<(Guid EventId, string Reason)>();
        using var commandConsumer = Consumer<ErpPostingCommand>(T.PostingCommands);
        using var dlqConsumer = Consumer<byte[]>(T.EventsDeadLetter, raw: true);
        try
        {
            await Eventually.TrueAsync(() =>
            {
                KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
                KafkaRecords.Drain(dlqConsumer, r => deadLetters.Add((Guid.Parse(KafkaRecords.Header(r, PipelineHeaders.EventId)), KafkaRecords.Header(r, PipelineHeaders.Reason))));
                return processor.HasExited || (commands.Count >= expected.Count && deadLetters.Count >= stream.Invalid.Count + orphanEvents.Count);
            }, TimeSpan.FromSeconds(120), "all commands and dead letters");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {commands.Count}/{expected.Count} commands, {deadLetters.Count}/{stream.Invalid.Count + orphanEvents.Count} dead letters ({string.Join(", ", deadLetters.GroupBy(d => d.Reason).Select(g => $"{g.Key}: {g.Count()}"))}); processor output:\n{Tail(processor.Stdout)}\n{Tail(processor.Stderr)}");
        }
        processor.HasExited.Should().BeFalse(processor.Stderr);

        // Give a wrongly duplicated command time to show up, then compare exact sets.
        await Task.Delay(TimeSpan.FromSeconds(2));
        KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
        KafkaRecords.Drain(dlqConsumer, r => deadLetters.Add((Guid.Parse(KafkaRecords.Header(r, PipelineHeaders.EventId)), KafkaRecords.Header(r, PipelineHeaders.Reason))));

        commands.Select(c => c.IdempotencyKey).Should().OnlyHaveUniqueItems("no event is posted twice");
        commands.Select(c => c.IdempotencyKey).Should().BeEquivalentTo(expected.Keys, "no command missing, none extra");
        foreach (var c in commands)
        {
            c.Should().BeEquivalentTo(expected[c.IdempotencyKey], o => o.Excluding(x => x.CreatedAt));
        }

        deadLetters.Where(d => d.Reason == RejectReasons.QuantityNotPositive).Select(d => d.EventId).Should().BeEquivalentTo(stream.Invalid);
        deadLetters.Where(d => d.Reason == RejectReasons.MasterDataMissing).Select(d => d.EventId)
            .Should().BeEquivalentTo(orphanEvents.Select(e => e.EventId));
        deadLetters.Should().HaveCount(stream.Invalid.Count + orphanEvents.Count);

        // Per order and event topic, commands keep the order of their events, including orders whose master data
        // came late (Kafka orders records per partition: events of one order on different topics have no order).
        var events = stream.Events.Select(MesEventOf).Select((e, i) => (e.EventId, e.Kind, Index: i)).ToDictionary(x => x.EventId);
        foreach (var byKey in commands.GroupBy(c => (c.OrderKey, events[c.SourceEventIds[0]].Kind)))
        {
            byKey.Select(c => events[c.SourceEventIds[0]].Index).Should().BeInAscendingOrder($"commands of {byKey.Key} keep event order");
        }

        processor.Interrupt();
        await processor.WaitForExitAsync(TimeSpan.FromSeconds(60));
        processor.ExitCode.Should().Be(0, processor.Stderr);
    }

    private static string Tail(string s) => s.Length > 6000 ? s[^6000..] : s;

    private static Dictionary<string, ErpPostingCommand> Expected(GeneratedStream stream)
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

    private static MesEvent MesEventOf(object e) => e switch
    {
        ProductionConfirmation x => MesEvent.From(x),
        ScrapReport x => MesEvent.From(x),
        MaterialConsumption x => MesEvent.From(x),
        QualityHold x => MesEvent.From(x),
        _ => throw new ArgumentException("unknown event"),
    };

    private Task ProduceEventsAsync(IReadOnlyCollection<object> events) => Task.WhenAll(
        ProduceAsync(T.ProductionConfirmations, events.OfType<ProductionConfirmation>(), v => EventKeys.WorkOrder(v.Plant, v.WorkOrder)),
        ProduceAsync(T.ScrapReports, events.OfType<ScrapReport>(), v => EventKeys.WorkOrder(v.Plant, v.WorkOrder)),
        ProduceAsync(T.MaterialConsumptions, events.OfType<MaterialConsumption>(), v => EventKeys.WorkOrder(v.Plant, v.WorkOrder)));

    private async Task ProduceAsync<TV>(string topic, IEnumerable<TV> values, Func<TV, string> key)
        where TV : IAvroContract<TV>
    {
        using var p = new ProducerBuilder<string, TV>(new ProducerConfig { BootstrapServers = _platform.Cluster.BootstrapServers, EnableIdempotence = true })
            .SetValueSerializer(new AvroSerializer<TV>(_platform.Client, TV.Schema)).Build();
        // Sent together (the producer batches them); per key the idempotent producer keeps the order.
        await Task.WhenAll(values.Select(v => p.ProduceAsync(topic, new Message<string, TV> { Key = key(v), Value = v })));
    }

    private IConsumer<string, TV> Consumer<TV>(string topic, bool raw = false)
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
        c.Subscribe(topic);
        return c;
    }

    private sealed class MasterData(GeneratedStream s) : IMasterData
    {
        public WorkOrder? FindWorkOrder(string plant, string orderNumber) =>
            s.EarlyOrders.Concat(s.LateOrders).FirstOrDefault(o => o.Plant == plant && o.OrderNumber == orderNumber);

        public Material? FindMaterial(string plant, string materialNumber) =>
            s.Materials.FirstOrDefault(m => m.Plant == plant && m.MaterialNumber == materialNumber);
    }
}
