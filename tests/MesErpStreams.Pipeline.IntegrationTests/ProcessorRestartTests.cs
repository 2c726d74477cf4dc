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

public sealed class ProcessorRestartTests : ProcessorTestBase
{
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
}
