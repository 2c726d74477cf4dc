using System.Diagnostics;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Sink.Erp;
using MesErpStreams.Sink.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Sink.UnitTests;

public sealed class ErpGateTests
{
    private static readonly ErpPostingOutcome Down = new(ErpOutcomeKind.TransientFailure, null, 503, "down", null, "server-error", true);
    private static readonly ErpPostingOutcome Posted = new(ErpOutcomeKind.Posted, "CF1", 201, null, null, null, false);

    private static ErpSinkOptions Options(Action<ErpSinkOptions>? change = null)
    {
        var o = new ErpSinkOptions
        {
            BootstrapServers = "unused:9092",
            RequestsPerSecond = 0,
            BreakerConsecutiveFailures = 3,
            BreakerBreakDuration = TimeSpan.FromMilliseconds(500),
        };
        change?.Invoke(o);
        return o;
    }

    [Fact]
    public async Task An_erp_outage_at_low_traffic_never_fails_the_posting_it_is_held_in_place_until_the_erp_answers()
    {
        // A quiet plant: one posting, the ERP down for seven calls. The former breaker (5 calls in 10 s) never opened
        // for it, and the posting walked its retry tiers into the dead-letter topic.
        var client = new ScriptedClient(Down, Down, Down, Down, Down, Down, Down, Posted);
        using var metrics = new SinkMetrics(() => 0);
        using var gate = new ErpGate(client, Options(), metrics, TimeProvider.System, NullLogger.Instance);
        var call = gate.CallAsync(Command(), CancellationToken.None);
        await Eventually.TrueAsync(() => gate.IsOpen, TimeSpan.FromSeconds(5), "three unavailable calls in a row open the breaker");
        gate.UnavailableSince.Should().NotBeNull();

        var sw = Stopwatch.StartNew();
        (await call).Kind.Should().Be(ErpOutcomeKind.Posted, "the posting is held, not failed, until the ERP answers");
        sw.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1400), "while open, one probe per break duration (500 ms) reaches the ERP");
        client.Calls.Should().Be(8);
        gate.IsOpen.Should().BeFalse();
        gate.CircuitStateValue.Should().Be(0);
        gate.UnavailableSince.Should().BeNull();
    }

    [Fact]
    public async Task Throttling_is_waited_out_in_place_however_often_honouring_retry_after()
    {
        var throttled = new ErpPostingOutcome(ErpOutcomeKind.TransientFailure, null, 429, "slow down", TimeSpan.FromMilliseconds(150), "throttled", false);
        var client = new ScriptedClient(throttled, throttled, throttled, throttled, throttled, Posted);
        using var metrics = new SinkMetrics(() => 0);
        using var gate = new ErpGate(client, Options(), metrics, TimeProvider.System, NullLogger.Instance);
        var sw = Stopwatch.StartNew();
        (await gate.CallAsync(Command(), CancellationToken.None)).Kind.Should().Be(ErpOutcomeKind.Posted, "a 429 is never a posting's failure");
        sw.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(700), "five Retry-After waits of 150 ms");
        client.Calls.Should().Be(6);
        gate.IsOpen.Should().BeFalse("throttling slows calls down; it does not open the breaker");
    }

    [Fact]
    public async Task A_posting_the_erp_keeps_failing_while_it_answers_other_calls_is_handed_to_the_retry_tiers()
    {
        var client = new KeyedClient(c => c.OrderKey == "poison" ? Down : Posted);
        using var metrics = new SinkMetrics(() => 0);
        using var gate = new ErpGate(client, Options(), metrics, TimeProvider.System, NullLogger.Instance);
        var poison = gate.CallAsync(Command() with { OrderKey = "poison" }, CancellationToken.None);
        while (!poison.IsCompleted)
        {
            (await gate.CallAsync(Command(), CancellationToken.None)).Kind.Should().Be(ErpOutcomeKind.Posted);
            await Task.Delay(20);
        }

        var outcome = await poison;
        outcome.Kind.Should().Be(ErpOutcomeKind.TransientFailure, "its fault is its own: the ERP answered the other postings");
        client.CallsFor("poison").Should().Be(ErpGate.OwnFailureAttempts);
        gate.IsOpen.Should().BeFalse("calls the ERP answered came between its failures");
    }

    [Fact]
    public async Task A_lock_is_the_postings_own_failure_and_is_handed_back_at_once()
    {
        var locked = new ErpPostingOutcome(ErpOutcomeKind.TransientFailure, null, 423, "order locked by another user", null, "locked", false);
        var client = new ScriptedClient(locked, Posted);
        using var metrics = new SinkMetrics(() => 0);
        using var gate = new ErpGate(client, Options(), metrics, TimeProvider.System, NullLogger.Instance);
        (await gate.CallAsync(Command(), CancellationToken.None)).FailureClass.Should().Be("locked");
        client.Calls.Should().Be(1);
    }

    [Fact]
    public async Task Rate_limit_spaces_calls()
    {
        var client = new ScriptedClient(Enumerable.Repeat(Posted, 12).ToArray());
        using var metrics = new SinkMetrics(() => 0);
        using var gate = new ErpGate(client, Options(o => o.RequestsPerSecond = 10), metrics, TimeProvider.System, NullLogger.Instance);
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => gate.CallAsync(Command(), CancellationToken.None)));
        sw.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1000), "12 calls at 10/s with a burst of 1 need over a second");
    }

    [Fact]
    public async Task Chains_waiting_for_a_call_slot_go_out_together_in_one_batch_each_chain_whole_and_dependent_on_its_predecessor()
    {
        var release = new TaskCompletionSource();
        var client = new BatchClient(async (items, n) =>
        {
            if (n == 1)
            {
                await release.Task; // the only call slot is busy while the other chains queue up
            }

            return items.Select(_ => Posted).ToArray();
        });
        using var metrics = new SinkMetrics(() => 0);
        using var gate = new ErpGate(client, Options(o => { o.MaxCallsInFlight = 1; o.BatchSize = 6; o.BatchLinger = TimeSpan.Zero; }), metrics, TimeProvider.System, NullLogger.Instance);
        gate.MaxChainLength.Should().Be(6);

        var blocker = gate.CallAsync(Chain("a", 1), CancellationToken.None);
        await Eventually.TrueAsync(() => client.Batches.Count == 1, TimeSpan.FromSeconds(5), "the first call to start");
        var b = gate.CallAsync(Chain("b", 2), CancellationToken.None);
        var c = gate.CallAsync(Chain("c", 3), CancellationToken.None);
        var d = gate.CallAsync(Chain("d", 4), CancellationToken.None);
        await Task.Delay(200);
        release.SetResult();
        var all = await Task.WhenAll(blocker, b, c, d);

        all.Select(o => o.Count).Should().Equal(1, 2, 3, 4);
        all.SelectMany(o => o).Should().OnlyContain(o => o.Kind == ErpOutcomeKind.Posted);
        client.Batches.Should().HaveCount(3, "b and c (5 postings) fill the second batch; d (4) does not fit and goes next, never split");
        client.Batches[1].Select(Describe).Should().Equal("b0", "b1+", "c0", "c1+", "c2+");
        client.Batches[2].Select(Describe).Should().Equal("d0", "d1+", "d2+", "d3+");
    }

    [Fact]
    public async Task A_throttled_batch_is_waited_out_and_sent_again_whole()
    {
        var throttled = new ErpPostingOutcome(ErpOutcomeKind.TransientFailure, null, 429, "slow down", TimeSpan.FromMilliseconds(200), "throttled", false);
        var client = new BatchClient((items, n) => Task.FromResult(items.Select(_ => n == 1 ? throttled : Posted).ToArray()));
        using var metrics = new SinkMetrics(() => 0);
        using var gate = new ErpGate(client, Options(), metrics, TimeProvider.System, NullLogger.Instance);
        var sw = Stopwatch.StartNew();
        var outcomes = await gate.CallAsync(Chain("k", 3), CancellationToken.None);
        outcomes.Should().OnlyContain(o => o.Kind == ErpOutcomeKind.Posted);
        sw.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(180), "Retry-After was honoured");
        client.Batches.Should().HaveCount(2);
        client.Batches[1].Select(Describe).Should().Equal("k0", "k1+", "k2+");
    }

    [Fact]
    public async Task Rate_limit_counts_calls_not_postings()
    {
        var client = new BatchClient((items, _) => Task.FromResult(items.Select(_ => Posted).ToArray()));
        using var metrics = new SinkMetrics(() => 0);
        using var gate = new ErpGate(client, Options(o => { o.RequestsPerSecond = 1; o.BatchSize = 100; o.BatchLinger = TimeSpan.FromMilliseconds(100); }), metrics, TimeProvider.System, NullLogger.Instance);
        var sw = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => gate.CallAsync(Chain($"k{i}", 5), CancellationToken.None)));
        outcomes.SelectMany(o => o).Should().HaveCount(50).And.OnlyContain(o => o.Kind == ErpOutcomeKind.Posted);
        client.Batches.Should().HaveCount(1, "50 postings fit one batch");
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "one call at 1 call/s needs no wait");
    }

    [Fact]
    public void Batching_is_off_for_a_single_call_client_or_a_batch_size_of_one()
    {
        using var metrics = new SinkMetrics(() => 0);
        using var single = new ErpGate(new ScriptedClient(Posted), Options(), metrics, TimeProvider.System, NullLogger.Instance);
        single.MaxChainLength.Should().Be(1);
        var client = new BatchClient((items, _) => Task.FromResult(items.Select(_ => Posted).ToArray()));
        using var off = new ErpGate(client, Options(o => o.BatchSize = 1), metrics, TimeProvider.System, NullLogger.Instance);
        off.MaxChainLength.Should().Be(1);
        using var on = new ErpGate(client, Options(o => o.BatchSize = 2000), metrics, TimeProvider.System, NullLogger.Instance);
        on.MaxChainLength.Should().Be(1000, "capped by the client's MaxBatchSize");
    }

    private static string Describe(ErpBatchItem i) => i.Command.OrderKey + i.Command.IdempotencyKey + (i.DependsOnPrevious ? "+" : string.Empty);

    private static ErpPostingCommand[] Chain(string key, int count) =>
        Enumerable.Range(0, count).Select(i => Command() with { OrderKey = key, IdempotencyKey = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray();

    private static ErpPostingCommand Command() => new()
    {
        IdempotencyKey = Guid.NewGuid().ToString(),
        CommandType = ErpCommandType.StockStatusChange,
        SourceEventIds = [],
        Plant = "P1",
        OrderKey = "k",
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private sealed class ScriptedClient(params ErpPostingOutcome[] script) : IErpClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ErpPostingOutcome> PostAsync(ErpPostingCommand command, CancellationToken ct)
        {
            var n = Interlocked.Increment(ref _calls);
            return Task.FromResult(script[Math.Min(n, script.Length) - 1]);
        }
    }

    private sealed class KeyedClient(Func<ErpPostingCommand, ErpPostingOutcome> answer) : IErpClient
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

        public int CallsFor(string orderKey) => _calls.GetValueOrDefault(orderKey);

        public Task<ErpPostingOutcome> PostAsync(ErpPostingCommand command, CancellationToken ct)
        {
            _calls.AddOrUpdate(command.OrderKey, 1, (_, n) => n + 1);
            return Task.FromResult(answer(command));
        }
    }

    private sealed class BatchClient(Func<IReadOnlyList<ErpBatchItem>, int, Task<ErpPostingOutcome[]>> answer) : IErpBatchClient
    {
        private readonly Lock _lock = new();

        public List<ErpBatchItem[]> Batches { get; } = [];

        public int MaxBatchSize => 1000;

        public Task<ErpPostingOutcome> PostAsync(ErpPostingCommand command, CancellationToken ct) =>
            throw new InvalidOperationException("a batch client is called through PostBatchAsync");

        public async Task<IReadOnlyList<ErpPostingOutcome>> PostBatchAsync(IReadOnlyList<ErpBatchItem> items, CancellationToken ct)
        {
            int n;
            lock (_lock)
            {
                Batches.Add([.. items]);
                n = Batches.Count;
            }

            return await answer(items, n);
        }
    }
}
