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
    public async Task Processor_stopped_twice_and_killed_once_while_events_flow_emits_every_command_exactly_once()
    {
        // Input offsets are committed only through the processor's transactions, on the embedded cluster exactly as
        // on a real one (no offsets-in-changelog mode): restarts must neither lose nor repeat a command.
        var (stream, expected) = await WithMasterDataAsync(new GeneratedStream(seed: 7, orders: 30, eventsPerOrder: 60));
        // A killed member holds its partitions until its session times out: the processor's default is 10 s.
        var args = ProcessArgs(_platform.StateDirectory);
        var outputs = new System.Text.StringBuilder();

        // Events flow in small slices (per order in event order) for about 20 s, across every stop and restart.
        var fed = 0;
        var feeder = FeedAsync(stream, TimeSpan.FromMilliseconds(200), n => Interlocked.Add(ref fed, n));

        var processor = MeserpProcess.Start(args);
        using var commandConsumer = Consumer<ErpPostingCommand>(T.PostingCommands);
        var commands = new List<ErpPostingCommand>();
        async Task WaitForMoreCommands(int atLeast, string what) => await Eventually.TrueAsync(() =>
        {
            KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
            return commands.Count >= atLeast || processor.HasExited;
        }, TimeSpan.FromSeconds(120), what);

        try
        {
            for (var stop = 1; stop <= 3; stop++)
            {
                await WaitForMoreCommands(expected.Count * stop / 5, $"commands flowing before stop {stop}");
                processor.HasExited.Should().BeFalse(Tail(processor.Stderr));
                Volatile.Read(ref fed).Should().BeLessThan(stream.Events.Count, $"events are still flowing at stop {stop}");
                if (stop < 3)
                {
                    processor.Terminate();
                    await processor.WaitForExitAsync(TimeSpan.FromSeconds(60));
                    processor.ExitCode.Should().Be(0, Tail(processor.Stderr));
                    File.Exists(Path.Combine(_platform.StateDirectory, "meserp-processor.closed-cleanly"))
                        .Should().BeTrue("a graceful stop leaves local state the next start may use");
                }
                else
                {
                    await processor.KillHardAsync(); // in the middle of the flow: a transaction is open or about to be
                }

                outputs.Append(processor.Stdout).Append(processor.Stderr);
                await processor.DisposeAsync();
                processor = MeserpProcess.Start(args);
            }

            await feeder.WaitAsync(TimeSpan.FromSeconds(120));
            await WaitForMoreCommands(expected.Count, "every expected command after the restarts");
            processor.HasExited.Should().BeFalse(Tail(processor.Stderr));

            // Give a wrongly repeated command time to show up, then compare exact sets.
            await Task.Delay(TimeSpan.FromSeconds(3));
            KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
        }
        catch (TimeoutException e)
        {
            var diag = new System.Text.StringBuilder($"feeder {feeder.Status}, {Volatile.Read(ref fed)}/{stream.Events.Count} events fed; ");
            using (var dlq = Consumer<byte[]>(T.EventsDeadLetter, raw: true))
            {
                var reasons = new List<string>();
                var until = DateTime.UtcNow.AddSeconds(5);
                while (DateTime.UtcNow < until)
                {
                    KafkaRecords.Drain(dlq, r => reasons.Add(KafkaRecords.Header(r, PipelineHeaders.Reason)));
                }

                diag.Append($"dlq: {string.Join(", ", reasons.GroupBy(r => r).Select(g => $"{g.Key} {g.Count()}"))}\n");
            }

            throw new TimeoutException($"{e.Message}: {commands.Count}/{expected.Count} commands; {diag}processor output:\n{Tail(outputs.ToString())}\n{Tail(processor.Stdout)}\n{Tail(processor.Stderr)}");
        }

        ShouldBeExactlyOnce(commands, expected, "across restarts");
        processor.Terminate();
        await processor.WaitForExitAsync(TimeSpan.FromSeconds(60));
        processor.ExitCode.Should().Be(0, Tail(processor.Stderr));
        await processor.DisposeAsync();
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
    public async Task Two_instances_one_stopped_and_restarted_then_the_other_killed_and_restarted_emit_every_command_exactly_once()
    {
        // Two members of one group share the six tasks; each stop moves tasks (and their stores, through the
        // changelogs) to the other member and back. Input offsets commit only through the instances' transactions.
        var (stream, expected) = await WithMasterDataAsync(new GeneratedStream(seed: 23, orders: 30, eventsPerOrder: 60));
        string[] Args(int i) => ProcessArgs(Path.Combine(_platform.StateDirectory, $"instance-{i}"));
        var outputs = new System.Text.StringBuilder();
        var fed = 0;
        var feeder = FeedAsync(stream, TimeSpan.FromMilliseconds(250), n => Interlocked.Add(ref fed, n));

        var instances = new[] { MeserpProcess.Start(Args(0)), MeserpProcess.Start(Args(1)) };
        using var commandConsumer = Consumer<ErpPostingCommand>(T.PostingCommands);
        var commands = new List<ErpPostingCommand>();
        async Task WaitForMoreCommands(int atLeast, string what) => await Eventually.TrueAsync(() =>
        {
            KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
            return commands.Count >= atLeast || instances.Any(p => p.HasExited);
        }, TimeSpan.FromSeconds(120), what);

        try
        {
            await WaitForMoreCommands(expected.Count / 5, "commands flowing from two instances");
            instances[1].Terminate();
            await instances[1].WaitForExitAsync(TimeSpan.FromSeconds(60));
            instances[1].ExitCode.Should().Be(0, Tail(instances[1].Stderr));
            outputs.Append(instances[1].Stdout).Append(instances[1].Stderr);
            await instances[1].DisposeAsync();
            instances[1] = MeserpProcess.Start(Args(1));

            await WaitForMoreCommands(expected.Count * 2 / 5, "commands flowing after the graceful stop and restart");
            Volatile.Read(ref fed).Should().BeLessThan(stream.Events.Count, "events are still flowing at the kill");
            await instances[0].KillHardAsync();
            outputs.Append(instances[0].Stdout).Append(instances[0].Stderr);
            await instances[0].DisposeAsync();
            instances[0] = MeserpProcess.Start(Args(0));

            await feeder.WaitAsync(TimeSpan.FromSeconds(120));
            await WaitForMoreCommands(expected.Count, "every expected command after the restarts");
            instances.Should().OnlyContain(p => !p.HasExited);
            await Task.Delay(TimeSpan.FromSeconds(3));
            KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {commands.Count}/{expected.Count} commands, {Volatile.Read(ref fed)}/{stream.Events.Count} events fed; output:\n{Tail(outputs.ToString())}\n{Tail(instances[0].Stderr)}\n{Tail(instances[1].Stderr)}");
        }
        finally
        {
            foreach (var p in instances)
            {
                if (!p.HasExited)
                {
                    p.Terminate();
                    await p.WaitForExitAsync(TimeSpan.FromSeconds(60));
                }

                await p.DisposeAsync();
            }
        }

        ShouldBeExactlyOnce(commands, expected, "across the moves of tasks");
    }

    [Fact]
    public async Task Processor_fenced_while_events_flow_emits_every_command_exactly_once()
    {
        // The transaction coordinator fences the processor's producer at a commit: librdkafka makes that fatal,
        // Streamiz's thread dies (state ERROR) and the processor replaces the instance in-process, on a fresh state
        // directory (the aborted transaction's store writes may be in the old RocksDB): every command exactly once.
        var (stream, expected) = await WithMasterDataAsync(new GeneratedStream(seed: 17, orders: 20, eventsPerOrder: 40));
        var args = ProcessArgs(_platform.StateDirectory);
        var feeder = FeedAsync(stream, TimeSpan.FromMilliseconds(200));

        var processor = new SupervisedProcessor(args, maxRestarts: 3);
        using var commandConsumer = Consumer<ErpPostingCommand>(T.PostingCommands);
        var commands = new List<ErpPostingCommand>();
        try
        {
            await Eventually.TrueAsync(() =>
            {
                KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
                return commands.Count >= expected.Count / 4 || processor.Current.HasExited;
            }, TimeSpan.FromSeconds(120), "commands flowing before the fence");
            processor.Current.HasExited.Should().BeFalse(Tail(processor.Current.Stderr));
            _platform.Cluster.PushRequestErrors(KafkaApiKey.EndTxn, ErrorCode.ProducerFenced);

            await Eventually.TrueAsync(() =>
            {
                KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
                processor.RestartIfExited();
                return commands.Count >= expected.Count;
            }, TimeSpan.FromSeconds(180), "every expected command after the fence");
            await feeder;
            await CollectCommandsAsync(processor.Current, commandConsumer, commands, expected.Count, "every expected command after the fence");
            // A fenced producer is fatal to the Streamiz instance: the process replaces it (a fresh state directory,
            // restored from the changelogs: Streamiz 1.8.2 keeps a dead thread's RocksDB stores locked) and stays up.
            processor.Restarts.Should().Be(0, "the processor restarts its Streamiz instance itself");
            var output = processor.Current.Stdout + processor.Current.Stderr;
            output.Should().Contain("processor stopped on a fatal error").And.Contain("(restart 1)");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {commands.Count}/{expected.Count} commands; output:\n{Tail(processor.EarlierOutput)}\n{Tail(processor.Current.Stderr)}");
        }
        finally
        {
            await processor.DisposeAsync();
        }

        ShouldBeExactlyOnce(commands, expected, "across the fence");
    }

    [Fact]
    public async Task Processor_whose_produce_requests_fail_with_unknown_producer_id_emits_every_command_exactly_once()
    {
        // A produce answered UNKNOWN_PRODUCER_ID, three times while the processor works through a backlog. Streamiz
        // counts that error as a recoverable fence (TaskMigratedException, tasks closed dirty and reopened in the same
        // process), but librdkafka puts the transaction in an abortable state first, the next send fails with
        // Local_State and Streamiz's thread dies: the processor replaces the instance on a fresh state directory.
        // Either way no aborted store write may survive: every command exactly once.
        var (stream, expected) = await WithMasterDataAsync(new GeneratedStream(seed: 19, orders: 40, eventsPerOrder: 40));
        var args = ProcessArgs(_platform.StateDirectory);
        var processor = new SupervisedProcessor(args, maxRestarts: 5);
        using var commandConsumer = Consumer<ErpPostingCommand>(T.PostingCommands, assign: true);
        var commands = new List<ErpPostingCommand>();
        void Drain()
        {
            KafkaRecords.Drain(commandConsumer, r => commands.Add(r.Message.Value));
            processor.RestartIfExited();
        }

        try
        {
            const int Bursts = 3;
            foreach (var burst in stream.Events.Chunk((stream.Events.Count + Bursts - 1) / Bursts))
            {
                // The error goes to the next produce request on the cluster: the feeder's producers are done by then,
                // the processor has a backlog to work through.
                await ProduceEventsAsync(burst);
                var before = commands.Count;
                await Eventually.TrueAsync(() =>
                {
                    Drain();
                    return commands.Count > before;
                }, TimeSpan.FromSeconds(120), "commands of the burst flowing");
                _platform.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.UnknownProducerId);
            }

            await Eventually.TrueAsync(() =>
            {
                Drain();
                return commands.Count >= expected.Count;
            }, TimeSpan.FromSeconds(180), "every expected command after the errors");
            await CollectCommandsAsync(processor.Current, commandConsumer, commands, expected.Count, "every expected command after the errors");
            processor.Restarts.Should().Be(0, "the processor restarts its Streamiz instance itself");
            (processor.Current.Stdout + processor.Current.Stderr).Should().Contain("UnknownProducerId").And.Contain("processor stopped on a fatal error");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {commands.Count}/{expected.Count} commands, {processor.Restarts} restarts; output:\n{Tail(processor.EarlierOutput)}\n{Tail(processor.Current.Stderr)}");
        }
        finally
        {
            await processor.DisposeAsync();
        }

        ShouldBeExactlyOnce(commands, expected, "across the errors");
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
    private int LiveEntries(string topic)
    {
        var latest = new Dictionary<string, bool>(StringComparer.Ordinal);
        MesErpStreams.Kafka.TopicReading.ReadToEnd(_platform.Cluster.BootstrapServers, topic, partitions: null, IsolationLevel.ReadCommitted,
            TimeSpan.FromSeconds(10), r => latest[Convert.ToBase64String(r.Message.Key)] = r.Message.Value is not null);
        return latest.Count(kv => kv.Value);
    }

    /// <summary>Every expected command exactly once: none twice, none lost (<paramref name="across"/> names what happened).</summary>
    private static void ShouldBeExactlyOnce(List<ErpPostingCommand> commands, Dictionary<string, ErpPostingCommand> expected, string across)
    {
        commands.Select(c => c.IdempotencyKey).Should().OnlyHaveUniqueItems($"no command is emitted twice {across}");
        commands.Select(c => c.IdempotencyKey).Should().BeEquivalentTo(expected.Keys, $"no command is lost {across}");
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

    /// <summary>
    /// Reads commands until at least <paramref name="atLeast"/> arrived (the processor still running), then gives a
    /// wrongly repeated one 3 s to show up and reads those too.
    /// </summary>
    private static async Task CollectCommandsAsync(MeserpProcess processor, IConsumer<string, ErpPostingCommand> consumer, List<ErpPostingCommand> commands, int atLeast, string what)
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
    private string[] ProcessArgs(string stateDir) =>
        ["process", "--bootstrap-servers", _platform.Cluster.BootstrapServers, "--schema-registry-url", _platform.RegistryUrl,
            "--state-dir", stateDir, "--pending-timeout", "30s"];

    /// <summary>Produces the events in slices of 20 (per order in event order) with a pause after each.</summary>
    private Task FeedAsync(GeneratedStream stream, TimeSpan pause, Action<int>? fed = null) => Task.Run(async () =>
    {
        foreach (var slice in stream.Events.Chunk(20))
        {
            await ProduceEventsAsync(slice);
            fed?.Invoke(slice.Length);
            await Task.Delay(pause);
        }
    });

    /// <summary>Produces every material and every work order (early and late) of <paramref name="stream"/>; returns it with its expected commands.</summary>
    private async Task<(GeneratedStream Stream, Dictionary<string, ErpPostingCommand> Expected)> WithMasterDataAsync(GeneratedStream stream)
    {
        await ProduceAsync(T.Materials, stream.Materials, m => EventKeys.Material(m.Plant, m.MaterialNumber));
        await ProduceAsync(T.WorkOrders, stream.EarlyOrders.Concat(stream.LateOrders), o => EventKeys.WorkOrder(o.Plant, o.OrderNumber));
        return (stream, Expected(stream));
    }

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

    /// <summary>A read_committed consumer of <paramref name="topic"/> from its start: subscribed in a group of its own, or
    /// (<paramref name="assign"/>) assigned every partition, so that it sends no heartbeats.</summary>
    private IConsumer<string, TV> Consumer<TV>(string topic, bool raw = false, bool assign = false)
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
    private sealed class SupervisedProcessor(string[] args, int maxRestarts) : IAsyncDisposable
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

    private sealed class MasterData(GeneratedStream s) : IMasterData
    {
        public WorkOrder? FindWorkOrder(string plant, string orderNumber) =>
            s.EarlyOrders.Concat(s.LateOrders).FirstOrDefault(o => o.Plant == plant && o.OrderNumber == orderNumber);

        public Material? FindMaterial(string plant, string materialNumber) =>
            s.Materials.FirstOrDefault(m => m.Plant == plant && m.MaterialNumber == materialNumber);
    }
}
