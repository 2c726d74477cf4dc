using System.Text;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.ErpSimulator;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Sink.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class SinkRetryTests(EmbeddedKafkaFixture kafka)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Command_failing_in_every_tier_is_dead_lettered_and_releases_its_key()
    {
        // A lock is the posting's own transient failure (the ERP answers): the tiers are used, then the dead-letter topic.
        await using var h = await SinkHarness.StartAsync(kafka, sim: o => o.Faults = new FaultOptions { LockNext = 4 });
        var head = SinkHarness.Confirmation("ORD-D", 0);
        var follower = SinkHarness.Confirmation("ORD-D", 1);
        await h.ProduceAsync([head, follower]);
        await h.StartSinkAsync();

        var results = await h.WaitForResultsAsync(2, Bound);
        var dead = results.Single(r => r.IdempotencyKey == head.IdempotencyKey);
        dead.Status.Should().Be(PostingStatus.DeadLettered);
        dead.Attempts.Should().Be(4, "one call from the command topic and one per retry tier");
        dead.ReasonCode.Should().Be("locked");
        results.Single(r => r.IdempotencyKey == follower.IdempotencyKey).Status.Should().Be(PostingStatus.Posted,
            "the follower waited behind the head through the tiers and is posted once the head is dead-lettered");

        var dlq = h.ReadAll(h.Options.DeadLetterTopic, 1, Bound).Should().ContainSingle().Subject;
        Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(SinkHeaders.Attempts)).Should().Be("4");
        Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(SinkHeaders.HttpStatus)).Should().Be("423");
        Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(SinkHeaders.OriginalTopic)).Should().Be(h.Options.CommandsTopic);
        var first = DateTimeOffset.Parse(Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(SinkHeaders.FirstFailureAt)), System.Globalization.CultureInfo.InvariantCulture);
        var last = DateTimeOffset.Parse(Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(SinkHeaders.LastFailureAt)), System.Globalization.CultureInfo.InvariantCulture);
        (last - first).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(5), "the tiers delay 1 s + 2 s + 3 s");
        (await h.LedgerAsync()).Select(l => l.Key).Should().Equal(follower.IdempotencyKey);
    }

    [Fact]
    public async Task Restarted_worker_rebuilds_parked_keys_from_the_retry_tiers_so_followers_do_not_overtake()
    {
        await using var h = await SinkHarness.StartAsync(kafka, sim: o => o.Faults = new FaultOptions { LockNext = 1 });
        h.Options.RetryDelays = [TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)];
        var head = SinkHarness.Confirmation("ORD-P", 0);
        await h.ProduceAsync([head]);
        var first = await h.StartSinkAsync();
        await Eventually.TrueAsync(() => h.ReadAll(h.Options.RetryTopics[0], 1, TimeSpan.FromSeconds(1)).Count == 1, Bound, "the head to reach retry tier 1");
        await first.StopAsync(CancellationToken.None); // before the retry is due

        var followers = Enumerable.Range(1, 3).Select(i => SinkHarness.Confirmation("ORD-P", i)).ToList();
        await h.ProduceAsync(followers);
        await h.StartSinkAsync();

        await h.WaitForResultsAsync(4, Bound);
        await h.AssertLedgerMatchesAsync([head, .. followers]);
    }
}
