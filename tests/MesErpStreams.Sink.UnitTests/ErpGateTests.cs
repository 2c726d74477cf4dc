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
            BreakerMinimumThroughput = 2,
            BreakerFailureRatio = 0.5,
            BreakerBreakDuration = TimeSpan.FromMilliseconds(500),
            BreakerSamplingDuration = TimeSpan.FromSeconds(10),
        };
        change?.Invoke(o);
        return o;
    }

    [Fact]
    public async Task Open_circuit_holds_the_call_until_the_erp_recovers_instead_of_failing_it()
    {
        var client = new ScriptedClient(Down, Down, Down, Down, Posted);
        using var metrics = new SinkMetrics(() => 0);
        using var gate = new ErpGate(client, Options(), metrics, TimeProvider.System, NullLogger.Instance);

        (await gate.CallAsync(Command(), CancellationToken.None)).Kind.Should().Be(ErpOutcomeKind.TransientFailure,
            "a single failure before the breaker has enough calls goes to a retry tier");
        var sw = Stopwatch.StartNew();
        var second = await gate.CallAsync(Command(), CancellationToken.None);
        second.Kind.Should().Be(ErpOutcomeKind.Posted, "once the breaker opened, the call waited for the ERP");
        sw.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900), "two break periods passed with failed probes");
        client.Calls.Should().Be(5, "while open, only one probe per break period reaches the ERP");
        gate.IsOpen.Should().BeFalse();
        gate.CircuitStateValue.Should().Be(0);
    }

    [Fact]
    public async Task Throttling_is_waited_out_in_place_honouring_retry_after_then_handed_to_the_retry_tiers()
    {
        var throttled = new ErpPostingOutcome(ErpOutcomeKind.TransientFailure, null, 429, "slow down", TimeSpan.FromMilliseconds(300), "throttled", false);
        var client = new ScriptedClient(throttled, throttled, Posted);
        using var metrics = new SinkMetrics(() => 0);
        using var gate = new ErpGate(client, Options(o => o.MaxThrottleWaits = 3), metrics, TimeProvider.System, NullLogger.Instance);
        var sw = Stopwatch.StartNew();
        (await gate.CallAsync(Command(), CancellationToken.None)).Kind.Should().Be(ErpOutcomeKind.Posted);
        sw.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(580));

        var limited = new ScriptedClient(throttled, throttled, Posted);
        using var gate2 = new ErpGate(limited, Options(o => o.MaxThrottleWaits = 1), metrics, TimeProvider.System, NullLogger.Instance);
        var o = await gate2.CallAsync(Command(), CancellationToken.None);
        o.FailureClass.Should().Be("throttled", "after MaxThrottleWaits the command goes to a retry tier");
        limited.Calls.Should().Be(2);
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
