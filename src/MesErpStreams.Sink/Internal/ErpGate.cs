using System.Diagnostics;
using System.Threading.RateLimiting;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Sink.Erp;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace MesErpStreams.Sink.Internal;

/// <summary>
/// Every ERP call goes through here: the rate limit (token bucket), a shared not-before time set by Retry-After,
/// and a Polly circuit breaker over ERP-unavailable outcomes (5xx, timeouts, refused connections, auth). While the
/// breaker is open, callers wait instead of failing, so an outage does not burn retry tiers; the sink's consumer
/// loop pauses its partitions meanwhile and resumes when a probe call succeeds.
/// </summary>
internal sealed class ErpGate : IDisposable
{
    private readonly IErpClient _client;
    private readonly ErpSinkOptions _options;
    private readonly SinkMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly RateLimiter? _limiter;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly ResiliencePipeline<ErpPostingOutcome> _breaker;
    private long _notBeforeTicks;

    public ErpGate(IErpClient client, ErpSinkOptions options, SinkMetrics metrics, TimeProvider time, ILogger log)
    {
        _client = client;
        _options = options;
        _metrics = metrics;
        _time = time;
        _log = log;
        if (options.RequestsPerSecond > 0)
        {
            var rps = options.RequestsPerSecond;
            var (period, tokens) = rps >= 10 ? (TimeSpan.FromMilliseconds(100), (int)Math.Max(1, Math.Round(rps / 10))) : (TimeSpan.FromSeconds(1 / rps), 1);
            _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = tokens,
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = period,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }

        _breaker = new ResiliencePipelineBuilder<ErpPostingOutcome> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ErpPostingOutcome>
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                StateProvider = _state,
                ShouldHandle = a => ValueTask.FromResult(a.Outcome.Result is { ErpUnavailable: true }),
                OnOpened = a =>
                {
                    _log.LogWarning("ERP circuit opened for {Duration}: {Reason}", a.BreakDuration, a.Outcome.Result?.Message);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    _log.LogInformation("ERP circuit half-open: probing");
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _log.LogInformation("ERP circuit closed: posting resumes");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>True while the breaker stops calls (consumption should pause).</summary>
    public bool IsOpen => _state.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>0 closed, 1 half-open, 2 open.</summary>
    public int CircuitStateValue => _state.CircuitState switch
    {
        CircuitState.Closed => 0,
        CircuitState.HalfOpen => 1,
        _ => 2,
    };

    /// <summary>
    /// Posts the command and returns the outcome to act on. Waits (does not return) while the breaker is open,
    /// and waits out up to <see cref="ErpSinkOptions.MaxThrottleWaits"/> 429s in place.
    /// </summary>
    public async Task<ErpPostingOutcome> CallAsync(ErpPostingCommand command, CancellationToken ct)
    {
        var throttled = 0;
        while (true)
        {
            await WaitTurnAsync(ct);
            ErpPostingOutcome outcome;
            try
            {
                outcome = await _breaker.ExecuteAsync(static (s, token) => new ValueTask<ErpPostingOutcome>(s.Self.TimedCallAsync(s.Command, token)),
                    (Self: this, Command: command), ct);
            }
            catch (BrokenCircuitException e)
            {
                _log.LogDebug("circuit {State}: waiting {RetryAfter}", _state.CircuitState, e.RetryAfter);
                await Task.Delay(e.RetryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.FromMilliseconds(250), _time, ct);
                continue;
            }

            if (outcome.Kind != ErpOutcomeKind.TransientFailure)
            {
                return outcome;
            }

            if (outcome.RetryAfter is { } after)
            {
                PushNotBefore(_time.GetUtcNow() + after);
            }

            if (outcome.FailureClass == "throttled" && throttled++ < _options.MaxThrottleWaits)
            {
                continue;
            }

            if (outcome.ErpUnavailable && IsOpen)
            {
                continue; // this failure opened (or met) the breaker: wait for the ERP instead of using up a retry tier
            }

            return outcome;
        }
    }

    public void Dispose() => _limiter?.Dispose();

    private async Task<ErpPostingOutcome> TimedCallAsync(ErpPostingCommand command, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        _metrics.InFlight(1);
        try
        {
            var outcome = await _client.PostAsync(command, ct);
            _metrics.Call(outcome.Kind.ToString(), Stopwatch.GetElapsedTime(start));
            return outcome;
        }
        finally
        {
            _metrics.InFlight(-1);
        }
    }

    private async Task WaitTurnAsync(CancellationToken ct)
    {
        var waited = false;
        var notBefore = new DateTimeOffset(Interlocked.Read(ref _notBeforeTicks), TimeSpan.Zero);
        var wait = notBefore - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            waited = true;
            await Task.Delay(wait, _time, ct);
        }

        if (_limiter is not null)
        {
            using var lease = _limiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                waited = true;
                using var queued = await _limiter.AcquireAsync(1, ct);
            }
        }

        if (waited)
        {
            _metrics.RateLimitWait();
        }
    }

    private void PushNotBefore(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _notBeforeTicks);
            if (seen >= ticks)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _notBeforeTicks, ticks, seen) != seen);
    }
}
