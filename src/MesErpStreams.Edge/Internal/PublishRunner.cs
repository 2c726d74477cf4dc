using MesErpStreams.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Edge.Internal;

/// <summary>The work of <c>meserp edge publish</c>: JSON Lines in, outbox, forward, wait for drain.</summary>
internal static class PublishRunner
{
    public const int ExitRejectedLines = 2;
    public const int ExitNotDrained = 3;
    public const int ExitOutboxFull = 4;

    public static async Task<int> RunAsync(EdgeProducerOptions options, SchemaRegistryClientOptions registryOptions, IReadOnlyList<string> inputs,
        TimeSpan? drainTimeout, bool noWait, TextReader stdin, TextWriter stderr, ILoggerFactory loggers, CancellationToken ct)
    {
        using var registry = new CachedSchemaRegistryClient(registryOptions);
        await using var edge = await EdgeProducer.OpenAsync(options, registry, loggers.CreateLogger("meserp.edge"), ct);
        if (edge.OutboxDepth > 0)
        {
            await stderr.WriteLineAsync($"outbox {options.OutboxPath} holds {edge.OutboxDepth} events from an earlier run; forwarding them first");
        }

        edge.Start();
        long accepted = 0, rejected = 0;
        var full = false;
        var batch = new List<EdgeEvent>(options.BatchSize);
        var sources = inputs.Count == 0 ? ["-"] : inputs;
        foreach (var source in sources)
        {
            if (full)
            {
                break;
            }

            using var reader = source == "-" ? null : new StreamReader(source);
            var input = reader ?? stdin;
            var name = source == "-" ? "stdin" : source;
            long lineNo = 0;
            while (!full && await input.ReadLineAsync(ct) is { } line)
            {
                lineNo++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (MesEventJson.TryParse(line, out var e, out var error))
                {
                    batch.Add(e!);
                    if (batch.Count >= options.BatchSize)
                    {
                        (accepted, full) = await FlushAsync(edge, batch, accepted, stderr, ct);
                    }
                }
                else
                {
                    rejected++;
                    edge.CountRejected();
                    await stderr.WriteLineAsync($"{name}:{lineNo}: rejected: {error}");
                }
            }

            if (!full)
            {
                (accepted, full) = await FlushAsync(edge, batch, accepted, stderr, ct);
            }
        }

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

    private static async Task<(long Accepted, bool Full)> FlushAsync(EdgeProducer edge, List<EdgeEvent> batch, long accepted, TextWriter stderr, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return (accepted, false);
        }

        try
        {
            await edge.AcceptAsync(batch, ct);
            accepted += batch.Count;
            batch.Clear();
            return (accepted, false);
        }
        catch (OutboxFullException)
        {
            // Accept one by one to take exactly what fits, then report the first event that did not.
            foreach (var e in batch)
            {
                try
                {
                    await edge.AcceptAsync([e], ct);
                    accepted++;
                }
                catch (OutboxFullException full)
                {
                    await stderr.WriteLineAsync($"error: {full.Message}. Event {e.EventId} and everything after it were NOT accepted.");
                    batch.Clear();
                    return (accepted, true);
                }
            }

            batch.Clear();
            return (accepted, false);
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
