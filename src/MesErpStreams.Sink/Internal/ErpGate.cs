using System.Diagnostics;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Sink.Erp;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Sink.Internal;

/// <summary>
/// Every ERP call goes through here: at most <see cref="ErpSinkOptions.MaxCallsInFlight"/> calls at once, the rate
/// limit (token bucket, counting calls), a shared not-before time set by Retry-After, and a breaker over calls that
/// found the ERP unavailable (<see cref="AvailabilityBreaker"/>).
/// <para>
/// The ERP being unavailable — 5xx, timeouts, refused connections, auth failures, 429 — is never a posting's failure:
/// the caller's chain is held and sent again in place (Retry-After honoured, backing off otherwise), however long it
/// takes, spending nothing of the posting's retry tiers; the breaker opens after a few such calls in a row, the
/// sink's consumer loop pauses its partitions meanwhile, and the first probe the ERP answers resumes posting in
/// order. Only a posting that keeps failing so while the ERP answers other calls is handed back as failed: then the
/// fault is its own, and the retry tiers take it. Failures of one posting (locks, a success without a document number)
/// are handed back at once.
/// </para>
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
    private readonly AvailabilityBreaker _breaker;
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

        _breaker = new AvailabilityBreaker(options.BreakerConsecutiveFailures, options.BreakerBreakDuration, time);
    }

    /// <summary>Unavailable answers of one chain, in place, after which an ERP that answers other calls makes them the posting's own failure.</summary>
    internal const int OwnFailureAttempts = 3;

    /// <summary>Calls the ERP must have answered meanwhile (see <see cref="OwnFailureAttempts"/>).</summary>
    internal const int OwnFailureAnswers = 3;

    /// <summary>First wait before a chain the ERP was unavailable for is sent again while the breaker is still closed.</summary>
    private static readonly TimeSpan InPlaceBackoff = TimeSpan.FromMilliseconds(250);

    /// <summary>True while the breaker holds calls back (open, or half-open with its probe out): consumption should pause.</summary>
    public bool IsOpen => _breaker.State != BreakerState.Closed;

    /// <summary>0 closed, 1 half-open, 2 open.</summary>
    public int CircuitStateValue => (int)_breaker.State;

    /// <summary>Since when the ERP has been unavailable (the first call of the current run of unavailable calls); null while it answers.</summary>
    public DateTimeOffset? UnavailableSince => _breaker.UnavailableSince;

    /// <summary>Longest chain <see cref="CallAsync(IReadOnlyList{ErpPostingCommand}, CancellationToken, CancellationToken)"/> takes: 1 without batching.</summary>
    public int MaxChainLength { get; }

    /// <summary>Posts one command (a chain of one).</summary>
    public async Task<ErpPostingOutcome> CallAsync(ErpPostingCommand command, CancellationToken ct) => (await CallAsync([command], ct))[0];

    /// <summary>
    /// Posts a chain (commands of one key, in order; at most <see cref="MaxChainLength"/>) and returns one outcome
    /// per command. A command after one that did not succeed was not executed (<see cref="ErpPostingOutcome.NotExecuted"/>).
    /// Does not return while the ERP is unavailable or throttling for the chain's first command (decided by its
    /// outcome, as nothing after it ran): the chain is sent again in place until the ERP answers it, unless the ERP
    /// answers other calls meanwhile and keeps failing this one (see the class remarks).
    /// </summary>
    /// <param name="chain">The commands.</param>
    /// <param name="ct">Cancels a call in flight (the worker's assignment is aborted).</param>
    /// <param name="giveUp">Ends the holding in place between two calls (the worker stops or is revoked): the chain is
    /// not finished, its records are read again by whoever owns their partitions next.</param>
    public async Task<IReadOnlyList<ErpPostingOutcome>> CallAsync(IReadOnlyList<ErpPostingCommand> chain, CancellationToken ct, CancellationToken giveUp = default)
    {
        if (chain.Count == 0 || chain.Count > MaxChainLength)
        {
            throw new ArgumentOutOfRangeException(nameof(chain), chain.Count, $"a chain has 1..{MaxChainLength} commands");
        }

        var unavailable = 0;
        var answeredBefore = 0L;
        var backoff = InPlaceBackoff;
        while (true)
        {
            var (outcomes, refused) = MaxChainLength > 1 ? await EnqueueAsync(chain, ct) : await CallSingleAsync(chain[0], ct);
            if (outcomes is null)
            {
                giveUp.ThrowIfCancellationRequested();
                await Task.Delay(refused, _time, ct); // the breaker holds calls back until its next probe
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

            var throttled = first.FailureClass == "throttled";
            if (!throttled && !first.ErpUnavailable)
            {
                return outcomes; // the posting's own transient failure (a lock, a bad answer): the retry tiers take it
            }

            if (!throttled && unavailable++ == 0)
            {
                answeredBefore = _breaker.Answered;
            }

            if (unavailable >= OwnFailureAttempts && _breaker.Answered - answeredBefore >= OwnFailureAnswers)
            {
                _log.LogInformation("command {Key}: {Class} {Status} {Times} times while the ERP answered other calls; handing it to the retry tiers",
                    chain[0].OrderKey, first.FailureClass, first.HttpStatus, unavailable);
                return outcomes;
            }

            _metrics.HeldInPlace(first.FailureClass ?? "unknown");
            giveUp.ThrowIfCancellationRequested();
            if (first.RetryAfter is null && !IsOpen)
            {
                await Task.Delay(backoff, _time, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.BreakerBreakDuration.Ticks));
            }
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

    private async Task<(IReadOnlyList<ErpPostingOutcome>? Outcomes, TimeSpan Refused)> CallSingleAsync(ErpPostingCommand command, CancellationToken ct)
    {
        await _callSlots.WaitAsync(ct);
        try
        {
            if (!_breaker.TryEnter(out var wait, out var probe))
            {
                return (null, wait);
            }

            var recorded = false;
            try
            {
                await WaitTurnAsync(ct);
                IReadOnlyList<ErpPostingOutcome> outcomes = [await TimedCallAsync(command, ct)];
                Record(outcomes);
                recorded = true;
                return (outcomes, TimeSpan.Zero);
            }
            finally
            {
                if (probe && !recorded)
                {
                    _breaker.Abandon();
                }
            }
        }
        finally
        {
            _callSlots.Release();
        }
    }

    /// <summary>Tells the breaker what a call found: unavailable when no posting of it got an answer from the ERP.</summary>
    private void Record(IReadOnlyList<ErpPostingOutcome> outcomes)
    {
        var unavailable = outcomes.Any(o => o.ErpUnavailable) && outcomes.All(o => o.ErpUnavailable || ReferenceEquals(o, ErpPostingOutcome.NotExecuted));
        var wasHeld = IsOpen;
        if (_breaker.Record(unavailable))
        {
            _log.LogWarning("ERP unavailable since {Since:O} ({Class} {Status}: {Reason}): posting paused, probing every {Interval}",
                _breaker.UnavailableSince, outcomes[0].FailureClass, outcomes[0].HttpStatus, outcomes[0].Message, _options.BreakerBreakDuration);
        }
        else if (!unavailable && wasHeld)
        {
            _log.LogInformation("ERP answers again: posting resumes");
        }
    }

    private async Task<(IReadOnlyList<ErpPostingOutcome>? Outcomes, TimeSpan Refused)> EnqueueAsync(IReadOnlyList<ErpPostingCommand> chain, CancellationToken ct)
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

            if (!_breaker.TryEnter(out var wait, out var probe))
            {
                foreach (var chain in batch)
                {
                    chain.Result.TrySetResult((null, wait));
                }

                return;
            }

            var recorded = false;
            try
            {
                await SendBatchAsync(batch, size);
                recorded = true;
            }
            finally
            {
                if (probe && !recorded)
                {
                    _breaker.Abandon();
                }
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

    /// <summary>Sends one batch, tells the breaker, and hands each chain its outcomes.</summary>
    private async Task SendBatchAsync(List<PendingChain> batch, int size)
    {
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

        var outcomes = await TimedBatchAsync(items, _stop.Token);
        Record(outcomes);
        var all = outcomes as ErpPostingOutcome[] ?? [.. outcomes];
        n = 0;
        foreach (var chain in batch)
        {
            chain.Result.TrySetResult((new ArraySegment<ErpPostingOutcome>(all, n, chain.Commands.Count), TimeSpan.Zero));
            n += chain.Commands.Count;
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
        public TaskCompletionSource<(IReadOnlyList<ErpPostingOutcome>? Outcomes, TimeSpan Refused)> Result { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
