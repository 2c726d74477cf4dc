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

public sealed class ProcessorGroupTests : ProcessorTestBase
{
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
                // The error goes to the next produce request on the cluster: pushed once the burst is produced (the test's
                // producer is done and disposed), it meets the processor working through the burst's backlog. Pushed after
                // the commands flowed, it raced the next burst's producer and failed the test now and then.
                await ProduceEventsAsync(burst);
                var before = commands.Count;
                _platform.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.UnknownProducerId);
                await Eventually.TrueAsync(() =>
                {
                    Drain();
                    return commands.Count > before;
                }, TimeSpan.FromSeconds(120), "commands of the burst flowing");
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
}
