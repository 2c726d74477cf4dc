using System.Diagnostics;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Sink.Erp;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace MesErpStreams.Sink.Internal;

/// <summary>
/// Every ERP call goes through here: at most <see cref="ErpSinkOptions.MaxCallsInFlight"/> calls at once, the rate
/// limit (token bucket, counting calls), a shared not-before time set by Retry-After, and a Polly circuit breaker over
/// ERP-unavailable outcomes (5xx, timeouts, refused connections, auth). While the breaker is open, callers wait
/// instead of failing, so an outage does not burn retry tiers; the sink's consumer loop pauses its partitions
/// meanwhile and resumes when a probe call succeeds.
/// <para>
/// Callers submit chains: consecutive commands of one key, in order. With an <see cref="IErpBatchClient"/>, a
/// dispatcher packs the chains that are waiting (up to <see cref="ErpSinkOptions.BatchSize"/> commands, lingering
/// at most <see cref="ErpSinkOptions.BatchLinger"/> for more) into one request, each command after the first of its
/// chain depending on the one before it. Without one, every chain is a single command and a single call.
/// </para>
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
    private readonly ResiliencePipeline<IReadOnlyList<ErpPostingOutcome>> _breaker;
    private readonly IErpBatchClient? _batchClient;
    private readonly SemaphoreSlim _callSlots;
    private readonly Channel<PendingChain> _queue = Channel.CreateUnbounded<PendingChain>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _dispatcher;
    private long _notBeforeTicks;

    public ErpGate(IErpClient client, ErpSinkOptions options, SinkMetrics metrics, TimeProvider time, ILogger log)
    {
        _client = client;
        _options = options;
        _metrics = metrics;
        _time = time;
        _log = log;
        _callSlots = new SemaphoreSlim(options.MaxCallsInFlight, options.MaxCallsInFlight);
        MaxChainLength = client is IErpBatchClient b && b.MaxBatchSize > 1 && options.BatchSize > 1 ? Math.Min(options.BatchSize, b.MaxBatchSize) : 1;
        if (MaxChainLength > 1)
        {
            _batchClient = (IErpBatchClient)client;
            _dispatcher = Task.Run(DispatchAsync);
        }

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

        _breaker = new ResiliencePipelineBuilder<IReadOnlyList<ErpPostingOutcome>> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<IReadOnlyList<ErpPostingOutcome>>
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                StateProvider = _state,
                // A call counts as failed when the ERP as a whole was unavailable (every posting of it failed so).
                ShouldHandle = a => ValueTask.FromResult(a.Outcome.Result is { Count: > 0 } r && r[0].ErpUnavailable && r[^1].ErpUnavailable),
                OnOpened = a =>
                {
                    _log.LogWarning("ERP circuit opened for {Duration}: {Reason}", a.BreakDuration, a.Outcome.Result is { Count: > 0 } r ? r[0].Message : null);
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

    /// <summary>Longest chain <see cref="CallAsync(IReadOnlyList{ErpPostingCommand}, CancellationToken)"/> takes: 1 without batching.</summary>
    public int MaxChainLength { get; }

    /// <summary>Posts one command (a chain of one).</summary>
    public async Task<ErpPostingOutcome> CallAsync(ErpPostingCommand command, CancellationToken ct) => (await CallAsync([command], ct))[0];

    /// <summary>
    /// Posts a chain (commands of one key, in order; at most <see cref="MaxChainLength"/>) and returns one outcome
    /// per command. A command after one that did not succeed was not executed (<see cref="ErpPostingOutcome.NotExecuted"/>).
    /// Waits (does not return) while the breaker is open, and waits out up to <see cref="ErpSinkOptions.MaxThrottleWaits"/>
    /// 429s in place; both are decided by the first command's outcome, as nothing after it ran.
    /// </summary>
    public async Task<IReadOnlyList<ErpPostingOutcome>> CallAsync(IReadOnlyList<ErpPostingCommand> chain, CancellationToken ct)
    {
        if (chain.Count == 0 || chain.Count > MaxChainLength)
        {
            throw new ArgumentOutOfRangeException(nameof(chain), chain.Count, $"a chain has 1..{MaxChainLength} commands");
        }

        var throttled = 0;
        while (true)
        {
            var (outcomes, broken) = MaxChainLength > 1 ? await EnqueueAsync(chain, ct) : await CallSingleAsync(chain[0], ct);
            if (outcomes is null)
            {
                _log.LogDebug("circuit {State}: waiting {RetryAfter}", _state.CircuitState, broken);
                await Task.Delay(broken, _time, ct);
                continue;
            }

            var first = outcomes[0];
            if (first.Kind != ErpOutcomeKind.TransientFailure)
            {
                return outcomes;
            }

            if (first.RetryAfter is { } after)
            {
                PushNotBefore(_time.GetUtcNow() + after);
            }

            if (first.FailureClass == "throttled" && throttled++ < _options.MaxThrottleWaits)
            {
                continue;
            }

            if (first.ErpUnavailable && IsOpen)
            {
                continue; // this failure opened (or met) the breaker: wait for the ERP instead of using up a retry tier
            }

            return outcomes;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _queue.Writer.TryComplete();
        try
        {
            _dispatcher?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            // stopped
        }

        while (_queue.Reader.TryRead(out var left))
        {
            left.Result.TrySetCanceled();
        }

        _limiter?.Dispose();
        _stop.Dispose();
    }

    private static TimeSpan BrokenWait(BrokenCircuitException e) => e.RetryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.FromMilliseconds(250);

    private async Task<(IReadOnlyList<ErpPostingOutcome>? Outcomes, TimeSpan Broken)> CallSingleAsync(ErpPostingCommand command, CancellationToken ct)
    {
        await _callSlots.WaitAsync(ct);
        try
        {
            await WaitTurnAsync(ct);
            var outcomes = await _breaker.ExecuteAsync(static async (s, token) =>
                (IReadOnlyList<ErpPostingOutcome>)[await s.Self.TimedCallAsync(s.Command, token)], (Self: this, Command: command), ct);
            return (outcomes, TimeSpan.Zero);
        }
        catch (BrokenCircuitException e)
        {
            return (null, BrokenWait(e));
        }
        finally
        {
            _callSlots.Release();
        }
    }

    private async Task<(IReadOnlyList<ErpPostingOutcome>? Outcomes, TimeSpan Broken)> EnqueueAsync(IReadOnlyList<ErpPostingCommand> chain, CancellationToken ct)
    {
        var pending = new PendingChain(chain, ct);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        // The caller is released on cancellation (a revoked generation); the batch may still go out, and the
        // idempotency key makes its re-post after the record is read again a duplicate.
        return await pending.Result.Task.WaitAsync(ct);
    }

    /// <summary>
    /// Packs waiting chains into batches: takes a call slot, then everything waiting (up to the batch size), then
    /// lingers for more while the batch is not full. Under load the batch fills while the slot is awaited, so the
    /// linger only costs latency when the ERP has capacity to spare.
    /// </summary>
    private async Task DispatchAsync()
    {
        var reader = _queue.Reader;
        var ct = _stop.Token;
        PendingChain? carry = null;
        while (true)
        {
            var first = carry ?? await reader.ReadAsync(ct);
            carry = null;
            await _callSlots.WaitAsync(ct);
            var batch = new List<PendingChain> { first };
            var size = first.Commands.Count;
            var started = _time.GetTimestamp();
            while (size < _options.BatchSize)
            {
                if (reader.TryRead(out var next))
                {
                    if (size + next.Commands.Count > _options.BatchSize)
                    {
                        carry = next;
                        break;
                    }

                    batch.Add(next);
                    size += next.Commands.Count;
                    continue;
                }

                var left = _options.BatchLinger - _time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                var more = reader.WaitToReadAsync(ct).AsTask();
                if (await Task.WhenAny(more, Task.Delay(left, _time, ct)) != more || !await more)
                {
                    break;
                }
            }

            _ = RunBatchAsync(batch, size);
        }
    }

    /// <summary>Sends one batch and hands each chain its outcomes; releases the call slot taken by the dispatcher.</summary>
    private async Task RunBatchAsync(List<PendingChain> batch, int size)
    {
        try
        {
            if (batch.RemoveAll(c => c.Result.Task.IsCompleted || (c.Cancel.IsCancellationRequested && c.Result.TrySetCanceled(c.Cancel))) > 0)
            {
                size = batch.Sum(c => c.Commands.Count);
            }

            if (batch.Count == 0)
            {
                return;
            }

            await WaitTurnAsync(_stop.Token);
            var items = new ErpBatchItem[size];
            var n = 0;
            foreach (var chain in batch)
            {
                for (var j = 0; j < chain.Commands.Count; j++)
                {
                    items[n++] = new ErpBatchItem(chain.Commands[j], DependsOnPrevious: j > 0);
                }
            }

            IReadOnlyList<ErpPostingOutcome> outcomes;
            try
            {
                outcomes = await _breaker.ExecuteAsync(static (s, token) => new ValueTask<IReadOnlyList<ErpPostingOutcome>>(s.Self.TimedBatchAsync(s.Items, token)),
                    (Self: this, Items: items), _stop.Token);
            }
            catch (BrokenCircuitException e)
            {
                foreach (var chain in batch)
                {
                    chain.Result.TrySetResult((null, BrokenWait(e)));
                }

                return;
            }

            var all = outcomes as ErpPostingOutcome[] ?? [.. outcomes];
            n = 0;
            foreach (var chain in batch)
            {
                chain.Result.TrySetResult((new ArraySegment<ErpPostingOutcome>(all, n, chain.Commands.Count), TimeSpan.Zero));
                n += chain.Commands.Count;
            }
        }
        catch (Exception e)
        {
            foreach (var chain in batch)
            {
                chain.Result.TrySetException(e);
            }
        }
        finally
        {
            _callSlots.Release();
        }
    }

    private async Task<IReadOnlyList<ErpPostingOutcome>> TimedBatchAsync(ErpBatchItem[] items, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        _metrics.InFlight(1);
        try
        {
            var outcomes = await _batchClient!.PostBatchAsync(items, ct);
            if (outcomes.Count != items.Length)
            {
                throw new InvalidOperationException($"the ERP client answered {outcomes.Count} outcomes for {items.Length} postings");
            }

            _metrics.Call(outcomes[0].Kind.ToString(), Stopwatch.GetElapsedTime(start), items.Length);
            return outcomes;
        }
        finally
        {
            _metrics.InFlight(-1);
        }
    }

    private async Task<ErpPostingOutcome> TimedCallAsync(ErpPostingCommand command, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        _metrics.InFlight(1);
        try
        {
            var outcome = await _client.PostAsync(command, ct);
            _metrics.Call(outcome.Kind.ToString(), Stopwatch.GetElapsedTime(start), 1);
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

    /// <summary>A chain waiting for the dispatcher, and where its outcomes go.</summary>
    private sealed record PendingChain(IReadOnlyList<ErpPostingCommand> Commands, CancellationToken Cancel)
    {
        public TaskCompletionSource<(IReadOnlyList<ErpPostingOutcome>? Outcomes, TimeSpan Broken)> Result { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
