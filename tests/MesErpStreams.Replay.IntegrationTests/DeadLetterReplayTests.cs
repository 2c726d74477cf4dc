using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using MesErpStreams.Contracts;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Kafka.Provisioning;
using MesErpStreams.Pipeline;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.SchemaRegistry.Server;
using MesErpStreams.TestUtils;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Replay.IntegrationTests;

public sealed class DeadLetterReplayTests : IAsyncLifetime
{
    private const string Plant = "1000";
    private const string Order = "4100001";
    private EmbeddedPlatform _platform = null!;

    public async Task InitializeAsync() => _platform = await EmbeddedPlatform.StartAsync();

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Replaying_the_same_dead_letter_range_twice_creates_no_second_command()
    {
        await ProduceAsync(T.Materials, [Fg()], m => EventKeys.Material(m.Plant, m.MaterialNumber));
        await using var processor = MeserpProcess.Start("process", "--bootstrap-servers", _platform.Cluster.BootstrapServers,
            "--schema-registry-url", _platform.RegistryUrl, "--state-dir", _platform.StateDirectory, "--pending-timeout", "3s");

        // The work order is missing: the events wait, time out and are dead-lettered.
        var events = Enumerable.Range(1, 6).Select(Confirmation).ToList();
        await ProduceAsync(T.ProductionConfirmations, events, e => EventKeys.WorkOrder(e.Plant, e.WorkOrder));
        using var dlq = Consumer(T.EventsDeadLetter);
        var deadLetters = new List<ConsumeResult<string, byte[]>>();
        await Eventually.TrueAsync(() =>
        {
            KafkaRecords.Drain(dlq, deadLetters.Add);
            return deadLetters.Count >= events.Count || processor.HasExited;
        }, TimeSpan.FromSeconds(90), "the events are dead-lettered for missing master data");
        processor.HasExited.Should().BeFalse(processor.Stderr);
        deadLetters.Select(d => KafkaRecords.Header(d, PipelineHeaders.Reason)).Should().AllBe(RejectReasons.MasterDataMissing);

        // The master data arrives after the outage.
        await ProduceAsync(T.WorkOrders, [WorkOrder()], o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));
        string[] replay = ["replay", "dlq", "--bootstrap-servers", _platform.Cluster.BootstrapServers, "--from", T.EventsDeadLetter, "--reason", RejectReasons.MasterDataMissing];

        var dry = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(60), [.. replay, "--dry-run"]);
        dry.ExitCode.Should().Be(0, dry.Stderr);
        dry.Stdout.Should().Contain("matched=6 replayed=0").And.Contain($"target {T.ProductionConfirmations}=6");
        dry.Stdout.Split('\n').Count(l => l.Contains("-> " + T.ProductionConfirmations, StringComparison.Ordinal)).Should().Be(6);

        var first = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(60), replay);
        first.ExitCode.Should().Be(0, first.Stderr);
        first.Stdout.Should().Contain("matched=6 replayed=6");

        using var commandConsumer = CommandConsumer();
        var commands = new List<ErpPostingCommand>();
        await Eventually.TrueAsync(() =>
        {
            KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
            return commands.Count >= events.Count || processor.HasExited;
        }, TimeSpan.FromSeconds(60), "the replayed events become commands");

        var second = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(60), replay);
        second.ExitCode.Should().Be(0, second.Stderr);
        second.Stdout.Should().Contain("matched=6 replayed=6");

        // A new event on the same key (same partition) is processed after the second replay's copies.
        var sentinel = Confirmation(7);
        await ProduceAsync(T.ProductionConfirmations, [sentinel], e => EventKeys.WorkOrder(e.Plant, e.WorkOrder));
        await Eventually.TrueAsync(() =>
        {
            KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
            return commands.Any(c => c.SourceEventIds.Contains(sentinel.EventId)) || processor.HasExited;
        }, TimeSpan.FromSeconds(60), "the sentinel event's command");
        KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));

        commands.Select(c => c.IdempotencyKey).Should().OnlyHaveUniqueItems("replaying twice posts nothing twice");
        commands.Select(c => c.IdempotencyKey).Should().BeEquivalentTo(
            events.Append(sentinel).Select(e => IdempotencyKeys.For(ErpCommandType.OrderConfirmation, e.EventId)));
    }

    private static Material Fg() => new()
    {
        MaterialNumber = "FG-001", Plant = Plant, BaseUnit = "PC", BatchManaged = true, DefaultStorageLocation = "FG01", ChangedAt = DateTimeOffset.UtcNow,
    };

    private static WorkOrder WorkOrder() => new()
    {
        OrderNumber = Order, Plant = Plant, Material = "FG-001", PlannedQuantity = 100, PlannedUnit = "PC", Status = WorkOrderStatus.Released,
        Operations = [new WorkOrderOperation { OperationNumber = "0010", WorkCenter = "WC-1", CostCenter = "CC-1" }],
        ReceivingStorageLocation = "FG01", ChangedAt = DateTimeOffset.UtcNow,
    };

    private static ProductionConfirmation Confirmation(int i) => new()
    {
        EventId = Guid.NewGuid(), Plant = Plant, SourceSystem = "MES-T", OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1), Sequence = i,
        WorkOrder = Order, Operation = "0010", WorkCenter = "WC-1", YieldQuantity = new Quantity { Value = i, Unit = "PC" },
        FinalConfirmation = false, Batch = "B1",
    };

    private async Task ProduceAsync<TV>(string topic, IEnumerable<TV> values, Func<TV, string> key)
        where TV : IAvroContract<TV>
    {
        using var p = new ProducerBuilder<string, TV>(new ProducerConfig { BootstrapServers = _platform.Cluster.BootstrapServers, EnableIdempotence = true })
            .SetValueSerializer(new AvroSerializer<TV>(_platform.Client, TV.Schema)).Build();
        foreach (var v in values)
        {
            await p.ProduceAsync(topic, new Message<string, TV> { Key = key(v), Value = v });
        }
    }

    private IConsumer<string, byte[]> Consumer(string topic)
    {
        var c = new ConsumerBuilder<string, byte[]>(VerifyConfig()).Build();
        c.Subscribe(topic);
        return c;
    }

    private IConsumer<string, ErpPostingCommand> CommandConsumer()
    {
        var c = new ConsumerBuilder<string, ErpPostingCommand>(VerifyConfig())
            .SetValueDeserializer(new AvroDeserializer<ErpPostingCommand>(_platform.Client, ErpPostingCommand.Schema).AsSyncOverAsync()).Build();
        c.Subscribe(T.PostingCommands);
        return c;
    }

    private ConsumerConfig VerifyConfig() => new()
    {
        BootstrapServers = _platform.Cluster.BootstrapServers, GroupId = EmbeddedKafkaFixture.UniqueName("verify"),
        AutoOffsetReset = AutoOffsetReset.Earliest, IsolationLevel = IsolationLevel.ReadCommitted, EnableAutoCommit = false,
    };
}
