using System.Text;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.ErpSimulator;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Sink.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class SinkPostingTests(EmbeddedKafkaFixture kafka)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Commands_are_posted_once_in_order_with_results_carrying_document_and_trace()
    {
        using var metrics = new MetricsCollector();
        await using var h = await SinkHarness.StartAsync(kafka);
        var commands = Enumerable.Range(0, 30).Select(i => SinkHarness.Confirmation($"ORD{i % 5}", i, i + 1)).ToList();
        await h.ProduceAsync(commands);
        await h.StartSinkAsync();

        var results = await h.WaitForResultsAsync(commands.Count, Bound);
        results.Should().OnlyContain(r => r.Status == PostingStatus.Posted && r.ErpDocumentNumber != null && r.Attempts == 1);
        var byKey = results.ToDictionary(r => r.IdempotencyKey);
        foreach (var c in commands)
        {
            var resultTrace = byKey[c.IdempotencyKey].Trace!.Traceparent;
            TraceParent.SameTrace(resultTrace, c.Trace!.Traceparent).Should().BeTrue("the result continues the command's trace");
            resultTrace.Should().NotBe(c.Trace.Traceparent, "the result is a hop of its own (a child span)");
            byKey[c.IdempotencyKey].OrderKey.Should().Be(c.OrderKey);
        }

        await h.AssertLedgerMatchesAsync(commands);
        metrics.Sum(SinkTelemetry.Postings, "outcome", "posted").Should().BeGreaterThanOrEqualTo(30);
        metrics.Count(SinkTelemetry.ErpCallDuration).Should().BeInRange(1, 30, "one sample per ERP call; the postings went out in batches");
        metrics.Sum(SinkTelemetry.BatchSize).Should().BeGreaterThanOrEqualTo(30, "every posting was in a call");
        metrics.Count(SinkTelemetry.EndToEndLatency).Should().BeGreaterThanOrEqualTo(30);
        metrics.Sum(SinkTelemetry.InFlight).Should().Be(0, "every call that started also ended");
    }

    [Fact]
    public async Task Erp_outage_mid_run_posts_every_command_exactly_once_in_order_after_recovery()
    {
        await using var h = await SinkHarness.StartAsync(kafka, sim: o => o.Faults = new FaultOptions { LatencyMs = 20 });
        h.Options.RequestsPerSecond = 50;
        var commands = Enumerable.Range(0, 60).Select(i => SinkHarness.Confirmation($"ORD{i % 6}", i)).ToList();
        await h.ProduceAsync(commands);
        await h.StartSinkAsync(maxBatchSize: 1); // counts calls in the journal: one posting per call

        await Eventually.TrueAsync(async () => (await h.LedgerAsync()).Count >= 15, Bound, "a first part to be posted");
        h.Simulator.Faults = new FaultOptions { Outage = true };
        var postedBeforeOutage = (await h.LedgerAsync()).Count;
        await Eventually.TrueAsync(async () => (await h.JournalAsync()).Count(j => j.Status == 503) >= 3, Bound, "the sink to hit the outage");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the outage lasts a while: the breaker must hold the sink, not burn retries
        var failedCalls = (await h.JournalAsync()).Count(j => j.Status == 503);
        h.Simulator.Faults = new FaultOptions();

        await h.WaitForResultsAsync(commands.Count, Bound);
        await h.AssertLedgerMatchesAsync(commands);
        postedBeforeOutage.Should().BeLessThan(commands.Count, "the outage must hit the run in the middle");
        failedCalls.Should().BeLessThan(20, "an open circuit stops calls during the outage (one probe per break)");
    }

    [Fact]
    public async Task A_backlog_goes_out_in_batches_keeping_each_orders_sequence_and_latency_is_measured_from_edge_acceptance()
    {
        using var metrics = new MetricsCollector();
        await using var h = await SinkHarness.StartAsync(kafka, sim: o => o.Faults = new FaultOptions { LatencyMs = 20 });
        h.Options.BatchSize = 50;
        var commands = Enumerable.Range(0, 300).Select(i => SinkHarness.Confirmation($"ORD-B{i % 6}", i, i + 1)).ToList();
        var now = DateTimeOffset.UtcNow;
        await h.ProduceAsync(commands, acceptedAt: now - TimeSpan.FromSeconds(30), occurredAt: now - TimeSpan.FromSeconds(40));
        await h.StartSinkAsync();

        var results = await h.WaitForResultsAsync(commands.Count, Bound);
        results.Should().OnlyContain(r => r.Status == PostingStatus.Posted);
        await h.AssertLedgerMatchesAsync(commands);
        var calls = metrics.Count(SinkTelemetry.ErpCallDuration);
        calls.Should().BeLessThanOrEqualTo(30, "300 postings waiting at once go out in batches of up to 50 (not one call each)");
        metrics.Sum(SinkTelemetry.BatchSize).Should().Be(300);
        var journal = await h.JournalAsync();
        journal.Should().HaveCount(300, "the simulator journals each posting of a batch").And.OnlyContain(j => j.Status == 201);

        metrics.Measurements.Where(m => m.Name == SinkTelemetry.EndToEndLatency).Should().HaveCount(300).And.OnlyContain(m => m.Value >= 30,
            "end to end starts when the edge accepted the event (the accepted-at header), not when the command was made");
        metrics.Measurements.Where(m => m.Name == SinkTelemetry.OccurredToAckLatency).Should().HaveCount(300).And.OnlyContain(m => m.Value >= 40);
        metrics.Measurements.Where(m => m.Name == SinkTelemetry.CommandToAckLatency).Should().HaveCount(300).And.OnlyContain(m => m.Value < 30);
    }

    [Fact]
    public async Task A_rejected_posting_inside_a_batch_is_dead_lettered_and_the_postings_behind_it_are_sent_again_in_order()
    {
        await using var h = await SinkHarness.StartAsync(kafka, partitions: 1);
        var commands = new[]
        {
            SinkHarness.Confirmation("ORD-M", 0), SinkHarness.Confirmation("ORD-M", 1, yield: 0m), SinkHarness.Confirmation("ORD-M", 2),
            SinkHarness.Confirmation("ORD-M", 3),
        };
        await h.ProduceAsync(commands);
        await h.StartSinkAsync();

        var results = await h.WaitForResultsAsync(4, Bound);
        results.Select(r => (r.IdempotencyKey, r.Status)).Should().BeEquivalentTo(new[]
        {
            (commands[0].IdempotencyKey, PostingStatus.Posted), (commands[1].IdempotencyKey, PostingStatus.Rejected),
            (commands[2].IdempotencyKey, PostingStatus.Posted), (commands[3].IdempotencyKey, PostingStatus.Posted),
        }, "each command has exactly one result");
        (await h.LedgerAsync()).Select(l => l.Key).Should().Equal(commands[0].IdempotencyKey, commands[2].IdempotencyKey, commands[3].IdempotencyKey);
        var journal = await h.JournalAsync();
        var statuses = string.Join(",", journal.Where(j => j.Key == commands[2].IdempotencyKey).Select(j => j.Status));
        statuses.Should().BeOneOf(["201", "424,201"], "behind the rejected posting in one batch it is not executed, then sent again; in a later batch it is posted at once");
        h.ReadAll(h.Options.DeadLetterTopic, 1, Bound).Should().ContainSingle();
    }

    [Fact]
    public async Task A_posting_failing_transiently_inside_a_batch_goes_to_a_retry_tier_and_its_followers_wait_behind_it()
    {
        await using var h = await SinkHarness.StartAsync(kafka, partitions: 1);
        var commands = Enumerable.Range(0, 4).Select(i => SinkHarness.Confirmation("ORD-L", i)).ToList();
        var locked = new LockedOnceClient(commands[1].IdempotencyKey);
        await h.ProduceAsync(commands);
        await h.StartSinkAsync(wrap: inner => locked.Wrap(inner));

        var results = await h.WaitForResultsAsync(4, Bound);
        results.Should().OnlyContain(r => r.Status == PostingStatus.Posted);
        results.Single(r => r.IdempotencyKey == commands[1].IdempotencyKey).Attempts.Should().Be(2);
        locked.Failed.Should().BeTrue();
        await h.AssertLedgerMatchesAsync(commands); // 0,1,2,3: the followers did not overtake the locked posting
        h.ReadAll(h.Options.RetryTopics[0], 3, TimeSpan.FromSeconds(5)).Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(SinkHeaders.IdempotencyKey)))
            .Should().Equal(commands[1].IdempotencyKey, commands[2].IdempotencyKey, commands[3].IdempotencyKey);
    }

    /// <summary>An ERP whose batch answers one posting "locked, try later" once (SAP: order locked by another user) and, as ERPs with
    /// dependencies do, does not execute the postings that depend on it.</summary>
    private sealed class LockedOnceClient(string key)
    {
        private int _failed;

        private string Key => key;

        public bool Failed => Volatile.Read(ref _failed) == 1;

        public Sink.Erp.IErpClient Wrap(Sink.Erp.HttpErpClient inner) => new Client(this, inner);

        private sealed class Client(LockedOnceClient owner, Sink.Erp.HttpErpClient inner) : Sink.Erp.IErpBatchClient
        {
            public int MaxBatchSize => inner.MaxBatchSize;

            public Task<Sink.Erp.ErpPostingOutcome> PostAsync(ErpPostingCommand command, CancellationToken ct) => inner.PostAsync(command, ct);

            public async Task<IReadOnlyList<Sink.Erp.ErpPostingOutcome>> PostBatchAsync(IReadOnlyList<Sink.Erp.ErpBatchItem> items, CancellationToken ct)
            {
                var at = -1;
                for (var i = 0; i < items.Count && at < 0; i++)
                {
                    if (items[i].Command.IdempotencyKey == owner.Key && Interlocked.CompareExchange(ref owner._failed, 1, 0) == 0)
                    {
                        at = i;
                    }
                }

                if (at < 0)
                {
                    return await inner.PostBatchAsync(items, ct);
                }

                var end = at + 1;
                while (end < items.Count && items[end].DependsOnPrevious)
                {
                    end++;
                }

                var rest = items.Take(at).Concat(items.Skip(end)).ToList();
                var answered = rest.Count == 0 ? [] : await inner.PostBatchAsync(rest, ct);
                var outcomes = new List<Sink.Erp.ErpPostingOutcome>(items.Count);
                outcomes.AddRange(answered.Take(at));
                outcomes.Add(new Sink.Erp.ErpPostingOutcome(Sink.Erp.ErpOutcomeKind.TransientFailure, null, 423, "order locked by another user", null, "locked", false));
                outcomes.AddRange(Enumerable.Repeat(Sink.Erp.ErpPostingOutcome.NotExecuted, end - at - 1));
                outcomes.AddRange(answered.Skip(at));
                return outcomes;
            }
        }
    }

    [Fact]
    public async Task Throttling_is_waited_out_honouring_retry_after()
    {
        await using var h = await SinkHarness.StartAsync(kafka, sim: o => o.Faults = new FaultOptions { ThrottleNext = 2, RetryAfterSeconds = 1 });
        var commands = Enumerable.Range(0, 4).Select(i => SinkHarness.Confirmation("ORD-T", i)).ToList();
        await h.ProduceAsync(commands);
        await h.StartSinkAsync(maxBatchSize: 1); // counts calls in the journal: one posting per call

        var results = await h.WaitForResultsAsync(commands.Count, Bound);
        results.Should().OnlyContain(r => r.Status == PostingStatus.Posted);
        var journal = await h.JournalAsync();
        journal.Count(j => j.Status == 429).Should().Be(2);
        for (var i = 0; i < journal.Count - 1; i++)
        {
            if (journal[i].Status == 429)
            {
                (journal[i + 1].At - journal[i].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950), "Retry-After: 1 must be honoured");
            }
        }

        await h.AssertLedgerMatchesAsync(commands);
    }

    [Fact]
    public async Task Permanent_rejection_is_dead_lettered_with_headers_and_the_key_continues()
    {
        await using var h = await SinkHarness.StartAsync(kafka);
        var bad = SinkHarness.Confirmation("ORD-R", 0, yield: 0m); // a partial confirmation without quantity: 422
        var good = SinkHarness.Confirmation("ORD-R", 1);
        await h.ProduceAsync([bad, good]);
        await h.StartSinkAsync();

        var results = await h.WaitForResultsAsync(2, Bound);
        var rejected = results.Single(r => r.IdempotencyKey == bad.IdempotencyKey);
        rejected.Status.Should().Be(PostingStatus.Rejected);
        rejected.ReasonCode.Should().Be("validation");
        rejected.Reason.Should().Contain("yield");
        results.Single(r => r.IdempotencyKey == good.IdempotencyKey).Status.Should().Be(PostingStatus.Posted);

        var dlq = h.ReadAll(h.Options.DeadLetterTopic, 1, Bound).Should().ContainSingle().Subject;
        dlq.Message.Key.Should().Be("ORD-R");
        dlq.Message.Value.Should().Equal(TestSerde.Commands.Encode(bad), "the dead letter keeps the original command bytes");
        string H(string name) => Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(name));
        H(SinkHeaders.FailureClass).Should().Be("validation");
        H(SinkHeaders.HttpStatus).Should().Be("422");
        H(SinkHeaders.Message).Should().Contain("yield");
        H(SinkHeaders.Attempts).Should().Be("1");
        DateTimeOffset.Parse(H(SinkHeaders.FirstFailureAt), System.Globalization.CultureInfo.InvariantCulture).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        H(SinkHeaders.LastFailureAt).Should().NotBeEmpty();
        H(SinkHeaders.OriginalTopic).Should().Be(h.Options.CommandsTopic);
        long.Parse(H(SinkHeaders.OriginalOffset), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(0);
        int.Parse(H(SinkHeaders.OriginalPartition), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(0);
        TraceParent.SameTrace(H(SinkHeaders.TraceParent), bad.Trace!.Traceparent).Should().BeTrue();
        H(SinkHeaders.TraceParent).Should().Be(TraceParent.Parse(bad.Trace.Traceparent!).Child("dead-letter").Value);
        (await h.LedgerAsync()).Select(l => l.Key).Should().Equal(good.IdempotencyKey);
    }

    [Fact]
    public async Task A_postings_own_transient_failure_goes_through_a_retry_tier_and_followers_of_its_key_do_not_overtake_it()
    {
        await using var h = await SinkHarness.StartAsync(kafka, sim: o => o.Faults = new FaultOptions { LockNext = 1 });
        var commands = Enumerable.Range(0, 5).Select(i => SinkHarness.Confirmation("ORD-Q", i)).ToList();
        await h.ProduceAsync(commands);
        await h.StartSinkAsync();

        var results = await h.WaitForResultsAsync(commands.Count, Bound);
        results.Single(r => r.IdempotencyKey == commands[0].IdempotencyKey).Attempts.Should().Be(2, "the first call failed once");
        results.Should().OnlyContain(r => r.Status == PostingStatus.Posted);
        await h.AssertLedgerMatchesAsync(commands);
        var retried = h.ReadAll(h.Options.RetryTopics[0], 5, TimeSpan.FromSeconds(5));
        retried.Should().HaveCount(5, "the head failed and its four followers were routed behind it");

        // Lineage: each retry record is the retry tier's child span of its command and keeps the event id and idempotency key.
        var byKey = commands.ToDictionary(c => c.IdempotencyKey);
        foreach (var r in retried)
        {
            string H(string name) => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(name));
            var command = byKey[H(SinkHeaders.IdempotencyKey)];
            H(SinkHeaders.EventId).Should().Be(command.SourceEventIds[0].ToString());
            var retrySpan = TraceParent.Parse(command.Trace!.Traceparent!).Child("retry-1").Value;
            H(SinkHeaders.TraceParent).Should().Be(retrySpan);
            results.Single(x => x.IdempotencyKey == command.IdempotencyKey).Trace!.Traceparent
                .Should().Be(TraceParent.Parse(retrySpan!).Child("result").Value, "the result continues from the retry tier's span");
        }
    }

    [Fact]
    public async Task Unreadable_command_is_dead_lettered_as_deserialization_failure_and_others_flow()
    {
        await using var h = await SinkHarness.StartAsync(kafka, partitions: 1);
        using (var p = new Confluent.Kafka.ProducerBuilder<string, byte[]>(new Confluent.Kafka.ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await p.ProduceAsync(h.Options.CommandsTopic, new Confluent.Kafka.Message<string, byte[]> { Key = "ORD-X", Value = [0xFF, 0xFF, 0xFF, 0x01] });
        }

        var good = SinkHarness.Confirmation("ORD-X", 1);
        await h.ProduceAsync([good]);
        await h.StartSinkAsync();

        (await h.WaitForResultsAsync(1, Bound)).Should().ContainSingle(r => r.IdempotencyKey == good.IdempotencyKey && r.Status == PostingStatus.Posted);
        var dlq = h.ReadAll(h.Options.DeadLetterTopic, 1, Bound).Should().ContainSingle().Subject;
        dlq.Message.Value.Should().Equal(0xFF, 0xFF, 0xFF, 0x01);
        Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(SinkHeaders.FailureClass)).Should().Be("deserialization");
    }
}
