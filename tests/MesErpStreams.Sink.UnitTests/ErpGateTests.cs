using System.Diagnostics;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Sink.Erp;
using MesErpStreams.Sink.Internal;
using Microsoft.Extensions.Logging.Abstractions;

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
}
