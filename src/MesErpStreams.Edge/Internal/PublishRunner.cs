using System.Diagnostics;
using System.Threading.Channels;
using MesErpStreams.Hosting;
using MesErpStreams.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Edge.Internal;

/// <summary>The work of <c>meserp edge publish</c>: JSON Lines in, outbox, forward, wait for drain.</summary>
internal static class PublishRunner
{
    public const int ExitRejectedLines = 2;
    public const int ExitBadConfiguration = 2;
    public const int ExitNotDrained = 3;
    public const int ExitOutboxFull = 4;

    public static async Task<int> RunAsync(EdgeProducerOptions options, SchemaRegistryClientOptions registryOptions, IReadOnlyList<string> inputs,
        TimeSpan? drainTimeout, bool noWait, Stream stdin, TextWriter stderr, ILoggerFactory loggers, CancellationToken ct)
    {
        using var registry = new CachedSchemaRegistryClient(registryOptions);
        // A wrong URL stops the edge; an unreachable registry does not: the outbox keeps the events until it answers.
        if (!await RegistryCheck.CheckAtStartAsync("edge publish", registry, registryOptions.Url, stderr, loggers.CreateLogger("meserp.edge"), ct, unreachableIsFatal: false))
        {
            return ExitBadConfiguration;
        }

        await using var edge = await EdgeProducer.OpenAsync(options, registry, loggers.CreateLogger("meserp.edge"), ct);
        if (edge.OutboxDepth > 0)
        {
            await stderr.WriteLineAsync($"outbox {options.OutboxPath} holds {edge.OutboxDepth} events from an earlier run; forwarding them first");
        }

        edge.Start();
        var state = new InputState(edge, options, stderr);
        var sources = inputs.Count == 0 ? ["-"] : inputs;
        foreach (var source in sources)
        {
            if (state.Full)
            {
                break;
            }

            await using var file = source == "-" ? null : new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            await state.ReadAsync(file ?? stdin, source == "-" ? "stdin" : source, ct);
        }

        var (accepted, rejected, full) = (state.Accepted, state.Rejected, state.Full);
        await stderr.WriteLineAsync($"accepted {accepted} events, rejected {rejected} lines; outbox depth {edge.OutboxDepth}");
        if (full)
        {
            return ExitOutboxFull;
        }

        var drained = noWait || await WaitAsync(edge, drainTimeout, ct);
        await stderr.WriteLineAsync(drained && !noWait
            ? $"forwarded {edge.Forwarded} events; outbox empty"
            : $"forwarded {edge.Forwarded} events; {edge.OutboxDepth} stay in the outbox for the next run");
        return !drained ? ExitNotDrained : rejected > 0 ? ExitRejectedLines : 0;
    }

    /// <summary>
    /// Lines → batches → outbox. A batch is accepted when it holds <see cref="EdgeProducerOptions.BatchSize"/> events or
    /// when its first event has waited <see cref="EdgeProducerOptions.Linger"/> (a steady trickle from a line controller
    /// must not wait for 500 events), and at the end of each source.
    /// </summary>
    private sealed class InputState(EdgeProducer edge, EdgeProducerOptions options, TextWriter stderr)
    {
        private readonly List<EdgeEvent> _batch = new(options.BatchSize);
        private long _batchStarted;

        public long Accepted { get; private set; }

        public long Rejected { get; private set; }

        public bool Full { get; private set; }

        public async Task ReadAsync(Stream input, string name, CancellationToken ct)
        {
            var lines = Channel.CreateBounded<InputLine>(new BoundedChannelOptions(Math.Max(64, options.BatchSize * 2)) { SingleReader = true, SingleWriter = true });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var pump = JsonLineReader.PumpAsync(input, lines.Writer, stop.Token);
            try
            {
                while (!Full && await NextAsync(lines.Reader, ct) is { } line)
                {
                    await HandleAsync(line, name, ct);
                }

                if (!Full)
                {
                    await FlushAsync(ct);
                }
            }
            finally
            {
                await stop.CancelAsync();
            }

            // At the end of the input the pump has completed the channel (and may have failed: an unreadable file).
            // When the outbox filled up it may be blocked in a read of standard input that cancellation cannot
            // interrupt; the process is about to exit with ExitOutboxFull then, so it is not waited for.
            if (!Full || pump.IsCompleted)
            {
                try
                {
                    await pump;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    // stopped on purpose above
                }
            }
        }

        /// <summary>The next line, flushing the partial batch when its linger expires first; null at the end of the input.</summary>
        private async Task<InputLine?> NextAsync(ChannelReader<InputLine> reader, CancellationToken ct)
        {
            while (true)
            {
                if (reader.TryRead(out var line))
                {
                    return line;
                }

                if (_batch.Count == 0)
                {
                    if (!await reader.WaitToReadAsync(ct))
                    {
                        return null;
                    }

                    continue;
                }

                var remaining = options.Linger - Stopwatch.GetElapsedTime(_batchStarted);
                if (remaining > TimeSpan.Zero)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    wait.CancelAfter(remaining);
                    try
                    {
                        if (!await reader.WaitToReadAsync(wait.Token))
                        {
                            return null;
                        }

                        continue;
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        // linger expired: flush below
                    }
                }

                await FlushAsync(ct);
                if (Full)
                {
                    return null;
                }
            }
        }

        private async Task HandleAsync(InputLine line, string name, CancellationToken ct)
        {
            string? error = line.Error;
            if (line.Utf8 is { } utf8)
            {
                if (IsBlank(utf8))
                {
                    return;
                }

                if (MesEventJson.TryParse(utf8, out var e, out error))
                {
                    if (_batch.Count == 0)
                    {
                        _batchStarted = Stopwatch.GetTimestamp();
                    }

                    _batch.Add(e!);
                    if (_batch.Count >= options.BatchSize)
                    {
                        await FlushAsync(ct);
                    }

                    return;
                }
            }

            Rejected++;
            edge.CountRejected();
            await stderr.WriteLineAsync($"{name}:{line.Number}: rejected: {error}");
        }

        private static bool IsBlank(ReadOnlySpan<byte> utf8) => utf8.Trim(" \t"u8).IsEmpty;

        private async Task FlushAsync(CancellationToken ct)
        {
            if (_batch.Count == 0)
            {
                return;
            }

            try
            {
                await edge.AcceptAsync(_batch, ct);
                Accepted += _batch.Count;
                _batch.Clear();
            }
            catch (OutboxFullException)
            {
                // Accept one by one to take exactly what fits, then report the first event that did not.
                foreach (var e in _batch)
                {
                    try
                    {
                        await edge.AcceptAsync([e], ct);
                        Accepted++;
                    }
                    catch (OutboxFullException full)
                    {
                        await stderr.WriteLineAsync($"error: {full.Message}. Event {e.EventId} and everything after it were NOT accepted.");
                        Full = true;
                        break;
                    }
                }

                _batch.Clear();
            }
        }
    }

    private static async Task<bool> WaitAsync(EdgeProducer edge, TimeSpan? timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } t)
        {
            cts.CancelAfter(t);
        }

        try
        {
            await edge.WaitUntilDrainedAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
