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

public sealed class ProcessorProcessTests : ProcessorTestBase
{
    [Fact]
    public async Task Processor_process_emits_exactly_the_expected_commands_and_dead_letters_every_invalid_event()
    {
        var stream = new GeneratedStream(seed: 42, orders: 12, eventsPerOrder: 25);
        await ProduceAsync(T.Materials, stream.Materials, m => EventKeys.Material(m.Plant, m.MaterialNumber));
        await ProduceAsync(T.WorkOrders, stream.EarlyOrders, o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));

        await using var processor = MeserpProcess.Start("process", "--bootstrap-servers", _platform.Cluster.BootstrapServers,
            "--schema-registry-url", _platform.RegistryUrl, "--state-dir", _platform.StateDirectory, "--pending-timeout", "30s");

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
        // First plant trial: Streamiz logged 110-150 lines and its whole configuration at every start.
        (processor.Stdout + processor.Stderr).Should().NotContain("Start creation of the stream application", "Streamiz logs at warning unless --engine-log-level raises it");
        (processor.Stdout + processor.Stderr).Should().Contain("dead-lettered to mes.events.dlq: QUANTITY_NOT_POSITIVE", "dead letters are logged with key and reason");

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

    [Fact]
    public async Task Events_whose_master_data_arrived_while_the_processor_was_down_are_released_after_the_restart()
    {
        // A waiting event is released by the master-data table's change notification. When the record arrives while
        // no processor runs the task (stopped, or the task moving to another member), nobody hears it: the restarted
        // task must find such events itself, long before the pending timeout (10 min here). Found by the chaos suite.
        var stream = new GeneratedStream(seed: 11, orders: 7, eventsPerOrder: 12);
        await ProduceAsync(T.Materials, stream.Materials, m => EventKeys.Material(m.Plant, m.MaterialNumber));
        await ProduceAsync(T.WorkOrders, stream.EarlyOrders, o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));
        string[] args = ["process", "--bootstrap-servers", _platform.Cluster.BootstrapServers, "--schema-registry-url", _platform.RegistryUrl,
            "--state-dir", _platform.StateDirectory, "--pending-timeout", "10m"];
        const string pendingChangelog = "meserp-processor-pending-events-changelog";
        var expected = Expected(stream);
        var workOrderOf = stream.Events.Select(MesEventOf).ToDictionary(e => e.EventId, e => e.WorkOrder ?? "");
        var lateNumbers = stream.LateOrders.Select(o => o.OrderNumber).ToHashSet();
        var lateCommands = expected.Values.Count(c => lateNumbers.Contains(workOrderOf[c.SourceEventIds[0]]));
        lateCommands.Should().BePositive();
        var waiting = stream.Events.Select(MesEventOf)
            .Count(e => !stream.Invalid.Contains(e.EventId) && (lateNumbers.Contains(e.WorkOrder ?? "") || e.WorkOrder == stream.OrphanOrders[0].OrderNumber));

        var processor = MeserpProcess.Start(args);
        using var commandConsumer = Consumer<ErpPostingCommand>(T.PostingCommands);
        var commands = new List<ErpPostingCommand>();
        try
        {
            await ProduceEventsAsync(stream.Events);
            await Eventually.TrueAsync(() =>
            {
                KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
                return processor.HasExited || (commands.Count >= expected.Count - lateCommands && LiveEntries(pendingChangelog) >= waiting);
            }, TimeSpan.FromSeconds(90), "commands of the orders with master data, the others waiting in the pending store");
            processor.HasExited.Should().BeFalse(Tail(processor.Stderr));
            commands.Should().HaveCount(expected.Count - lateCommands, "events of orders without master data wait");

            processor.Terminate();
            await processor.WaitForExitAsync(TimeSpan.FromSeconds(60));
            processor.ExitCode.Should().Be(0, Tail(processor.Stderr));
            await processor.DisposeAsync();

            await ProduceAsync(T.WorkOrders, stream.LateOrders, o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));
            processor = MeserpProcess.Start(args);

            // Events already posted before the stop, sent again: the restored dedupe store recognises them.
            var posted = commands.SelectMany(c => c.SourceEventIds).ToHashSet();
            var again = stream.Events.Where(e => posted.Contains(MesEventOf(e).EventId)).Take(25).ToList();
            again.Should().NotBeEmpty();
            await ProduceEventsAsync(again);
            await CollectCommandsAsync(processor, commandConsumer, commands, expected.Count, "the waiting events released after the restart");
            commands.Select(c => c.IdempotencyKey).Should().BeEquivalentTo(expected.Keys, "every command once, the released ones included and the events sent again after the restart deduplicated");
            processor.Terminate();
            await processor.WaitForExitAsync(TimeSpan.FromSeconds(60));
            processor.ExitCode.Should().Be(0, Tail(processor.Stderr));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {commands.Count}/{expected.Count} commands ({lateCommands} waiting for late master data); processor output:\n{Tail(processor.Stdout)}\n{Tail(processor.Stderr)}");
        }
        finally
        {
            await processor.DisposeAsync(); // kills it if an assertion failed while it ran
        }
    }

    [Fact]
    public async Task Dedupe_memory_of_the_former_runtime_is_restored_from_its_changelog()
    {
        // The runtime before Streamiz kept the dedupe store under the same changelog, each value its write time
        // followed by the first-seen time. An upgraded processor restores it and still recognises those events.
        var (stream, expected) = await WithMasterDataAsync(new GeneratedStream(seed: 13, orders: 5, eventsPerOrder: 8));
        var remembered = expected.Values.Take(10).SelectMany(c => c.SourceEventIds).ToHashSet();
        const string changelog = "meserp-processor-dedupe-changelog";
        var partitions = TopicCatalog.Default.Topics.Single(t => t.Name == changelog).Partitions;
        using (var p = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _platform.Cluster.BootstrapServers }).Build())
        {
            var value = new byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(value, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(8), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            for (var partition = 0; partition < partitions; partition++)
            {
                // Every task restores its own partition; having each id in all of them keeps the test free of the key → partition map.
                foreach (var id in remembered)
                {
                    p.Produce(new TopicPartition(changelog, partition), new Message<string, byte[]> { Key = id.ToString("N"), Value = value });
                }
            }

            p.Flush(TimeSpan.FromSeconds(30)).Should().Be(0);
        }

        var wanted = expected.Where(c => !c.Value.SourceEventIds.Any(remembered.Contains)).Select(c => c.Key).ToList();
        await using var processor = MeserpProcess.Start("process", "--bootstrap-servers", _platform.Cluster.BootstrapServers,
            "--schema-registry-url", _platform.RegistryUrl, "--state-dir", _platform.StateDirectory);
        using var commandConsumer = Consumer<ErpPostingCommand>(T.PostingCommands);
        var commands = new List<ErpPostingCommand>();
        await ProduceEventsAsync(stream.Events);
        await CollectCommandsAsync(processor, commandConsumer, commands, wanted.Count, "the commands of the events the former runtime had not seen");

        commands.Select(c => c.IdempotencyKey).Should().BeEquivalentTo(wanted, "the events in the restored dedupe store are duplicates");
        processor.Terminate();
        await processor.WaitForExitAsync(TimeSpan.FromSeconds(60));
        processor.ExitCode.Should().Be(0, Tail(processor.Stderr));
    }

    [Fact]
    public async Task Streamiz_processor_without_its_changelog_topics_stops_at_once_naming_them()
    {
        // Streamiz itself would call CreateTopics for them, which the embedded cluster (like many managed clusters
        // that forbid it) does not serve: ten tries of 60 s while the start neither fails nor returns.
        var started = DateTime.UtcNow;
        await using var processor = MeserpProcess.Start("process", "--bootstrap-servers", _platform.Cluster.BootstrapServers,
            "--schema-registry-url", _platform.RegistryUrl, "--state-dir", _platform.StateDirectory,
            "--application-id", "not-provisioned");
        await processor.WaitForExitAsync(TimeSpan.FromSeconds(60));

        processor.ExitCode.Should().Be(2);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(30));
        (processor.Stdout + processor.Stderr).Should().Contain("not-provisioned-dedupe-changelog").And.Contain("not-provisioned-pending-events-changelog")
            .And.Contain("meserp topics apply");
    }

    /// <summary>Keys whose latest record in a (changelog) topic is not a tombstone.</summary>
}
