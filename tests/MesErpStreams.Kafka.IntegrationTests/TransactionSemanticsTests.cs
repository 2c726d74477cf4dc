using System.Diagnostics;
using Confluent.Kafka;
using MesErpStreams.Kafka.TxnWorker;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Kafka.IntegrationTests;

/// <summary>
/// The embedded cluster keeps transactional offsets, hides aborted and open transactions from read_committed
/// consumers, fences a restarted producer and times out an abandoned transaction, as a real broker does
/// (native/librdkafka/patches/0002-mock-transactions.patch). Input offsets are committed only through
/// the transaction (SendOffsetsToTransaction): the path production uses.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TransactionSemanticsTests(EmbeddedKafkaFixture kafka)
{
    private static readonly IReadOnlyList<string> Numbers = Enumerable.Range(0, 3000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [Fact]
    public async Task Group_stopped_and_restarted_resumes_exactly_after_its_last_committed_transaction()
    {
        const int inputs = 2000;
        var (input, output, group) = Topics("resume", inputs);
        long firstRun;
        using (var first = new TransactionalPassthrough(kafka.BootstrapServers, input, output, group))
        {
            try
            {
                await Eventually.TrueAsync(() => first.Committed >= 600 || first.Failure is not null, TimeSpan.FromSeconds(60), "600 inputs committed");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}; committed {first.Committed}; {first.Diagnostics()}\n{string.Join('\n', first.Events.TakeLast(80))}");
            }
            await first.StopAsync();
            first.Failure.Should().BeNull();
            firstRun = first.Committed;
        }

        firstRun.Should().BeLessThan(inputs, "the first run stops mid-stream");
        TopicContents.Committed(kafka.BootstrapServers, input, 4, group).Sum(o => Math.Max(0, o)).Should().Be(firstRun,
            "the group's committed offsets are exactly the transactions' offsets (the consumer never commits itself)");

        using (var second = new TransactionalPassthrough(kafka.BootstrapServers, input, output, group))
        {
            await Eventually.TrueAsync(() => second.Committed >= inputs - firstRun || second.Failure is not null, TimeSpan.FromSeconds(60), "the rest committed");
            await second.StopAsync();
            second.Failure.Should().BeNull();
            second.Committed.Should().Be(inputs - firstRun, "the second run starts where the first run's last transaction ended");
        }

        TopicContents.Read(kafka.BootstrapServers, output, 4, IsolationLevel.ReadCommitted)
            .Should().BeEquivalentTo(Numbers.Take(inputs), "one output per input");
    }

    [Fact]
    public async Task Aborted_transaction_is_invisible_to_read_committed_and_its_input_is_processed_once_more()
    {
        const int inputs = 600;
        var (input, output, group) = Topics("abort", inputs);
        var failed = 0;
        var options = new PassthroughOptions(kafka.BootstrapServers, input, output, group)
        {
            // A processing failure in the middle of a transaction, after its outputs were written to the log.
            BeforeCommit = batch =>
            {
                if (batch.Any(r => r.Message.Value == "300") && Interlocked.Exchange(ref failed, 1) == 0)
                {
                    throw new InvalidOperationException("injected processing failure");
                }
            },
        };
        using (var pipeline = new TransactionalPassthrough(options))
        {
            await Eventually.TrueAsync(() => pipeline.Committed >= inputs || pipeline.Failure is not null, TimeSpan.FromSeconds(60), "all inputs committed");
            await pipeline.StopAsync();
            pipeline.Failure.Should().BeNull();
            pipeline.Aborted.Should().Be(1);
            pipeline.Committed.Should().Be(inputs);
        }

        TopicContents.Read(kafka.BootstrapServers, output, 4, IsolationLevel.ReadCommitted)
            .Should().BeEquivalentTo(Numbers.Take(inputs), "the aborted transaction's outputs are hidden, its inputs were processed again once");
        var uncommitted = TopicContents.Read(kafka.BootstrapServers, output, 4, IsolationLevel.ReadUncommitted);
        uncommitted.Count.Should().BeGreaterThan(inputs, "the aborted outputs are in the log: read_uncommitted sees them, so the filter is the client's, as on a real broker");
        uncommitted.Should().Contain("300");
        uncommitted.Count(v => v == "300").Should().Be(2, "the failed input's first output was aborted, the retry's committed");
        uncommitted.Count.Should().BeLessThanOrEqualTo(inputs + 50, "only the one aborted transaction (at most a batch) is in the log twice");
    }

    [Fact]
    public async Task Worker_killed_inside_a_transaction_and_restarted_leaves_one_output_per_input()
    {
        const int inputs = 3000;
        var (input, output, group) = Topics("kill9", inputs);
        var transactionalId = TransactionalPassthrough.TransactionalIdOf(group);
        long beforeKill;
        using (var doomed = TxnWorkerProcess.Start(kafka.BootstrapServers, input, output, group, transactionalId, holdMs: 300, transactionTimeoutMs: 60000))
        {
            await Eventually.TrueAsync(() => doomed.Committed >= 500 && doomed.InsideTransaction || doomed.HasExited, TimeSpan.FromSeconds(60),
                "500 inputs committed and a transaction open");
            doomed.HasExited.Should().BeFalse(string.Join('\n', doomed.Lines.TakeLast(20)));
            doomed.KillHard();
            beforeKill = doomed.Committed;
        }

        // The open transaction's outputs are in the log, but not committed: read_committed stops at the LSO.
        TopicContents.Read(kafka.BootstrapServers, output, 4, IsolationLevel.ReadCommitted).Should().HaveCount((int)beforeKill);

        // The restarted worker's InitTransactions fences the dead one and aborts its transaction at once (no timeout).
        var watch = Stopwatch.StartNew();
        using (var restarted = TxnWorkerProcess.Start(kafka.BootstrapServers, input, output, group, transactionalId, holdMs: 0, transactionTimeoutMs: 60000))
        {
            await Eventually.TrueAsync(() => restarted.Committed >= inputs - beforeKill || restarted.HasExited, TimeSpan.FromSeconds(90), "the rest committed after the restart");
            await restarted.TerminateAsync();
            restarted.Committed.Should().Be(inputs - beforeKill, "the restarted worker resumes after the last committed transaction");
        }

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(40), "fencing ends the dead worker's transaction without waiting for its 60 s timeout");
        TopicContents.Read(kafka.BootstrapServers, output, 4, IsolationLevel.ReadCommitted)
            .Should().BeEquivalentTo(Numbers.Take(inputs), "exactly one output per input on read_committed");
        TopicContents.Read(kafka.BootstrapServers, output, 4, IsolationLevel.ReadUncommitted).Count
            .Should().BeGreaterThan(inputs, "the killed transaction had written outputs, which were aborted");
    }

    [Fact]
    public async Task Transaction_abandoned_by_a_killed_worker_times_out_and_another_member_takes_over()
    {
        const int inputs = 1500;
        var (input, output, group) = Topics("abandon", inputs);
        long beforeKill;
        using (var doomed = TxnWorkerProcess.Start(kafka.BootstrapServers, input, output, group, group + "-a", holdMs: 300, transactionTimeoutMs: 5000))
        {
            await Eventually.TrueAsync(() => doomed.Committed >= 300 && doomed.InsideTransaction || doomed.HasExited, TimeSpan.FromSeconds(60),
                "300 inputs committed and a transaction open");
            doomed.HasExited.Should().BeFalse(string.Join('\n', doomed.Lines.TakeLast(20)));
            doomed.KillHard();
            beforeKill = doomed.Committed;
        }

        // Another instance (its own transactional id) takes over the group's partitions: it cannot fence the dead
        // transaction, so its offsets stay unstable and the outputs' LSO stays put until the broker's 5 s timeout aborts it.
        using (var other = TxnWorkerProcess.Start(kafka.BootstrapServers, input, output, group, group + "-b", holdMs: 0, transactionTimeoutMs: 60000))
        {
            await Eventually.TrueAsync(() => other.Committed >= inputs - beforeKill || other.HasExited, TimeSpan.FromSeconds(90), "the rest committed by the other member");
            await other.TerminateAsync();
            other.Committed.Should().Be(inputs - beforeKill);
        }

        TopicContents.Read(kafka.BootstrapServers, output, 4, IsolationLevel.ReadCommitted)
            .Should().BeEquivalentTo(Numbers.Take(inputs), "exactly one output per input on read_committed");
    }

    private (string Input, string Output, string Group) Topics(string name, int inputs)
    {
        var input = kafka.CreateTopic(name + "-in", partitions: 4);
        var output = kafka.CreateTopic(name + "-out", partitions: 4);
        TopicContents.ProduceNumbers(kafka.BootstrapServers, input, inputs);
        return (input, output, EmbeddedKafkaFixture.UniqueName(name));
    }
}
