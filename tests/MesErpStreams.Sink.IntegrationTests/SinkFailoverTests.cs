using System.Collections.Concurrent;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Sink.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class SinkFailoverTests(EmbeddedKafkaFixture kafka)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Worker_killed_between_erp_call_and_commit_is_posted_once_after_redelivery()
    {
        await using var h = await SinkHarness.StartAsync(kafka);
        var commands = Enumerable.Range(0, 12).Select(i => SinkHarness.Confirmation($"ORD-K{i % 3}", i)).ToList();
        var victim = commands[4].IdempotencyKey;
        await h.ProduceAsync(commands);

        var crashed = new TaskCompletionSource();
        var first = await h.StartSinkAsync(afterErpCall: (c, _) =>
        {
            if (c.IdempotencyKey == victim)
            {
                crashed.TrySetResult();
                throw new InvalidOperationException("simulated crash after the ERP call, before the outcome was produced");
            }

            return Task.CompletedTask;
        });
        await crashed.Task.WaitAsync(Bound);
        await Eventually.TrueAsync(() => first.ExecuteTask!.IsCompleted, Bound, "the first worker to die");
        (await h.LedgerAsync()).Select(l => l.Key).Should().Contain(victim, "the ERP posted before the crash");

        await h.StartSinkAsync();
        var results = await h.WaitForResultsAsync(commands.Count, Bound);
        results.Where(r => r.IdempotencyKey == victim).Should().ContainSingle("the crashed worker produced no outcome for it")
            .Which.Status.Should().Be(PostingStatus.Duplicate, "the re-delivered command hit the idempotency key");
        var journal = await h.JournalAsync();
        journal.Where(j => j.Key == victim).Select(j => j.Status).Should().Equal([201, 200], "posted, then re-posted as a duplicate");
        await h.AssertLedgerMatchesAsync(commands);
    }

    [Fact]
    public async Task Two_workers_in_one_group_share_the_partitions_and_post_everything_once_in_order()
    {
        await using var h = await SinkHarness.StartAsync(kafka);
        var commands = Enumerable.Range(0, 60).Select(i => SinkHarness.Confirmation($"ORD-S{i % 9}", i)).ToList();
        var calls = new ConcurrentDictionary<int, int>();
        Func<ErpPostingCommand, Sink.Erp.ErpPostingOutcome, Task> Count(int worker) => (_, _) =>
        {
            calls.AddOrUpdate(worker, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        };

        var a = await h.StartSinkAsync(Count(1));
        var b = await h.StartSinkAsync(Count(2));
        await Eventually.TrueAsync(() => a.AssignedPartitions > 0 && b.AssignedPartitions > 0 && a.AssignedPartitions + b.AssignedPartitions == 12,
            Bound, "both workers to own partitions");
        await h.ProduceAsync(commands);

        await h.WaitForResultsAsync(commands.Count, Bound);
        await h.AssertLedgerMatchesAsync(commands);
        calls.Keys.Should().BeEquivalentTo([1, 2], "both workers took partitions");
    }

    [Fact]
    public async Task Rebalance_while_the_circuit_is_open_does_not_stall_the_sink()
    {
        await using var h = await SinkHarness.StartAsync(kafka, sim: o => o.Faults = new ErpSimulator.FaultOptions { Outage = true });
        var commands = Enumerable.Range(0, 24).Select(i => SinkHarness.Confirmation($"ORD-B{i % 4}", i)).ToList();
        await h.ProduceAsync(commands);
        var a = await h.StartSinkAsync();
        await Eventually.TrueAsync(async () => (await h.JournalAsync()).Count(j => j.Status == 503) >= 3, Bound, "the breaker to see the outage");

        var b = await h.StartSinkAsync(); // rebalance: waiting postings of the first worker are abandoned
        await Eventually.TrueAsync(() => a.AssignedPartitions > 0 && b.AssignedPartitions > 0, Bound, "both workers to own partitions");
        h.Simulator.Faults = new ErpSimulator.FaultOptions();

        try
        {
            await h.WaitForResultsAsync(commands.Count, Bound);
        }
        catch (TimeoutException)
        {
            Console.WriteLine("JOURNAL " + string.Join(" ", (await h.JournalAsync()).Select(j => $"{j.At:HH:mm:ss.fff}:{j.Key}:{j.Status}")));
            throw;
        }
        await h.AssertLedgerMatchesAsync(commands);
    }

    [Fact]
    public async Task Worker_assigned_while_the_retry_tier_offset_lookups_fail_retries_them_and_keeps_posting()
    {
        await using var h = await SinkHarness.StartAsync(kafka);
        var commands = Enumerable.Range(0, 6).Select(i => SinkHarness.Confirmation($"ORD-L{i % 2}", i)).ToList();
        await h.ProduceAsync(commands);

        // What a partition leader move looks like to the assignment callback's offset lookups.
        kafka.Cluster.PushRequestErrors(KafkaApiKey.ListOffsets, [.. Enumerable.Repeat(Confluent.Kafka.ErrorCode.NotLeaderForPartition, 12)]);
        try
        {
            var sink = await h.StartSinkAsync();
            await h.WaitForResultsAsync(commands.Count, Bound);
            sink.ExecuteTask!.IsCompleted.Should().BeFalse("a failed lookup during assignment must not stop the worker");
        }
        finally
        {
            kafka.Cluster.ClearRequestErrors(KafkaApiKey.ListOffsets);
        }

        await h.AssertLedgerMatchesAsync(commands);
    }
}
