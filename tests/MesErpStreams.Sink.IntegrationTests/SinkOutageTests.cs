using System.Diagnostics;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.ErpSimulator;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Sink.IntegrationTests;

/// <summary>The ERP being unavailable is never a posting's failure (first plant trial, issue 26).</summary>
[Collection(ClusterCollection.Name)]
public sealed class SinkOutageTests(EmbeddedKafkaFixture kafka)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task An_erp_outage_far_longer_than_the_retry_tiers_at_low_traffic_dead_letters_nothing_and_posts_everything_in_order_afterwards()
    {
        // What broke: the breaker opened only after 5 calls in 10 s, so a quiet plant never tripped it; each posting
        // walked its retry tiers during an ERP maintenance window and was dead-lettered ("server-error 503").
        await using var h = await SinkHarness.StartAsync(kafka, partitions: 2, sim: o => o.Faults = new FaultOptions { Outage = true });
        h.Options.RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(600)];
        var sink = await h.StartSinkAsync();
        var commands = Enumerable.Range(0, 6).Select(i => SinkHarness.Confirmation($"ORD-Q{i % 2}", i)).ToList();
        var outage = Stopwatch.StartNew();
        foreach (var c in commands)
        {
            await h.ProduceAsync([c]);
            await Task.Delay(TimeSpan.FromSeconds(1)); // a quiet plant: one event a second, the tiers' delays 1.2 s in all
        }

        await Eventually.TrueAsync(() => sink.ErpCircuitState == 2 && sink.ErpUnavailableSince is not null, Bound, "the breaker to open on consecutive unavailable calls");
        ErpSinkCommand.ErpAvailability(sink).IsReady.Should().BeFalse();
        ErpSinkCommand.ErpAvailability(sink).Detail.Should().StartWith("ERP unavailable since");
        var left = TimeSpan.FromSeconds(12) - outage.Elapsed; // ten times the tiers' delays
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        h.ReadAll(h.Options.DeadLetterTopic, 1, TimeSpan.FromSeconds(1)).Should().BeEmpty("the outage is not the postings' fault");
        h.ReadAll(h.Options.RetryTopics[0], 1, TimeSpan.FromSeconds(1)).Should().BeEmpty("nothing is spent from the postings' retry budget");
        (await h.JournalAsync()).Count(j => j.Status == 503).Should().BeLessThan(30, "while the breaker is open one probe per break duration reaches the ERP");

        h.Simulator.Faults = new FaultOptions();
        var back = Stopwatch.StartNew();
        var results = await h.WaitForResultsAsync(commands.Count, Bound);
        back.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "posting resumes within seconds of the ERP's return");
        results.Should().OnlyContain(r => r.Status == PostingStatus.Posted && r.Attempts == 1);
        await h.AssertLedgerMatchesAsync(commands);
        h.ReadAll(h.Options.DeadLetterTopic, 1, TimeSpan.FromSeconds(1)).Should().BeEmpty();
        sink.ErpUnavailableSince.Should().BeNull();
        ErpSinkCommand.ErpAvailability(sink).IsReady.Should().BeTrue();
    }

    [Fact]
    public async Task A_single_server_error_is_sent_again_in_place_without_spending_a_retry_tier()
    {
        await using var h = await SinkHarness.StartAsync(kafka, sim: o => o.Faults = new FaultOptions { FailNext = 1, ErrorStatusCode = 500 });
        var commands = Enumerable.Range(0, 3).Select(i => SinkHarness.Confirmation("ORD-S", i)).ToList();
        await h.ProduceAsync(commands);
        await h.StartSinkAsync();

        var results = await h.WaitForResultsAsync(commands.Count, Bound);
        results.Should().OnlyContain(r => r.Status == PostingStatus.Posted && r.Attempts == 1);
        await h.AssertLedgerMatchesAsync(commands);
        h.ReadAll(h.Options.RetryTopics[0], 1, TimeSpan.FromSeconds(1)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_sink_stopped_while_the_registry_is_unreachable_dead_letters_nothing_and_stops_promptly()
    {
        // What broke (first plant trial): on SIGTERM a sink kept running about 45 s, then dead-lettered a valid,
        // already-posted command with "deserialization ... registry unreachable".
        await using var h = await SinkHarness.StartAsync(kafka, partitions: 1);
        await h.ProduceAsync([SinkHarness.Confirmation("ORD-R", 0), SinkHarness.Confirmation("ORD-R", 1)]);
        var unreachable = new UnreachableRegistry();
        var sink = await h.StartSinkAsync(deserializer: unreachable);
        await Eventually.TrueAsync(() => unreachable.Calls >= 2, Bound, "the sink to try reading a command");

        var stopping = Stopwatch.StartNew();
        await sink.StopAsync(CancellationToken.None);

        stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a record waiting for the registry is given up at once when the worker stops");
        h.ReadAll(h.Options.DeadLetterTopic, 1, TimeSpan.FromSeconds(2)).Should().BeEmpty("a registry outage is never a command's fault");
        (await h.LedgerAsync()).Should().BeEmpty();
    }

    /// <summary>A command deserializer whose registry never answers.</summary>
    private sealed class UnreachableRegistry : Confluent.Kafka.IAsyncDeserializer<ErpPostingCommand>
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ErpPostingCommand> DeserializeAsync(ReadOnlyMemory<byte> data, bool isNull, Confluent.Kafka.SerializationContext context)
        {
            Interlocked.Increment(ref _calls);
            throw new SchemaRegistry.Serdes.AvroSerdeException("schema registry unreachable", context.Topic, context.Component, null,
                new SchemaRegistry.SchemaRegistryException("schema registry unreachable after 4 attempts", null, -1));
        }
    }
}
