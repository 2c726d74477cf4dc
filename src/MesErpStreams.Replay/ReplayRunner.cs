using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Replay.Internal;

namespace MesErpStreams.Replay;

/// <summary>
/// Copies a filtered offset or time range of one topic to a target topic (or, for dead letters, back to each record's
/// own origin). Keys, values (bytes, so any schema) and trace headers are kept; dead-letter diagnostics are dropped
/// and <see cref="ReplayHeaders.ReplayOf"/> is added. Reads read_committed; writes with an idempotent producer
/// (acks=all). Replay is safe to repeat: events keep their ids and commands their idempotency keys, so the
/// processor's dedupe and the ERP's idempotency make a second copy a no-op.
/// </summary>
public static class ReplayRunner
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs a replay to the end of its range (the partitions' ends as of the start, or <see cref="ReplayOptions.Until"/>).</summary>
    /// <param name="options">What and how; validated.</param>
    /// <param name="progress">Called now and then with progress; may be null.</param>
    /// <param name="listing">In a dry run, one line per matching record is written here; may be null.</param>
    /// <param name="cancellationToken">Stops early; what was written stays written.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="InvalidOperationException">The source topic does not exist, or a record could not be written.</exception>
    public static Task<ReplaySummary> RunAsync(ReplayOptions options, Action<ReplayProgress>? progress = null, TextWriter? listing = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        options.Kafka.Validate();
        return Task.Run(() => RunCoreAsync(options, progress, listing, cancellationToken), cancellationToken);
    }

    private static async Task<ReplaySummary> RunCoreAsync(ReplayOptions o, Action<ReplayProgress>? progress, TextWriter? listing, CancellationToken ct)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(o.Kafka.ToConsumerConfig("meserp-replay-" + Guid.NewGuid().ToString("N"), [
            new("enable.auto.commit", "false"), new("isolation.level", "read_committed"), new("enable.partition.eof", "true"),
            new("auto.offset.reset", "earliest")])).Build();
        var ranges = ReplayRange.Resolve(o, consumer, MetadataTimeout);
        var total = ranges.Values.Sum(r => r.End - r.Start);
        var filter = new RecordFilter(o);
        var counts = new Counts();
        using var producer = o.DryRun ? null : new ProducerBuilder<byte[], byte[]>(o.Kafka.ToProducerConfig([new("enable.idempotence", "true"), new("acks", "all"), new("linger.ms", "5")])).Build();
        Error? failure = null;
        long replayed = 0;
        var clock = Stopwatch.StartNew();
        consumer.Assign(ranges.Select(r => new TopicPartitionOffset(o.SourceTopic, r.Key, r.Value.Start)));
        var open = new HashSet<int>(ranges.Keys);
        progress?.Invoke(new ReplayProgress(0, total, 0));
        while (open.Count > 0 && !ct.IsCancellationRequested && (o.MaxRecords is not { } max || counts.Matched < max))
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null)
            {
                continue;
            }

            var p = r.Partition.Value;
            var end = ranges[p].End;
            if (r.IsPartitionEOF || r.Offset.Value >= end)
            {
                Close(consumer, open, r.TopicPartition);
                continue;
            }

            counts.Scanned++;
            if (filter.Matches(r.Message) is { } reason)
            {
                var target = o.TargetTopic ?? RecordFilter.Origin(r.Message.Headers);
                if (target is null)
                {
                    counts.SkippedNoTarget++;
                }
                else
                {
                    counts.Match(target, reason);
                    if (listing is not null && o.DryRun)
                    {
                        await listing.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{r.Topic}[{p}]@{r.Offset.Value} key={Text(r.Message.Key)} event_id={EventIds(r.Message.Headers)} type={HeaderText(r.Message.Headers, ReplayHeaders.EventType) ?? "-"} ts={r.Message.Timestamp.UtcDateTime:O} reason={reason} -> {target}"));
                    }

                    if (producer is not null)
                    {
                        await PaceAsync(o, counts.Matched - 1, clock, ct);
                        producer.Produce(target, Copy(r), d =>
                        {
                            if (d.Error.IsError)
                            {
                                failure ??= d.Error;
                            }
                            else
                            {
                                Interlocked.Increment(ref replayed);
                            }
                        });
                    }
                }
            }

            if (r.Offset.Value >= end - 1)
            {
                Close(consumer, open, r.TopicPartition);
            }

            if (counts.Scanned % 100 == 0)
            {
                progress?.Invoke(new ReplayProgress(counts.Scanned, total, counts.Matched));
            }
        }

        producer?.Flush(CancellationToken.None);
        consumer.Close();
        progress?.Invoke(new ReplayProgress(counts.Scanned, total, counts.Matched));
        if (failure is { } f)
        {
            throw new InvalidOperationException($"replay could not write a record: {f.Reason} ({Interlocked.Read(ref replayed)} written before)");
        }

        return new ReplaySummary(counts.Scanned, counts.Matched, Interlocked.Read(ref replayed), counts.SkippedNoTarget, counts.ByTarget, counts.ByReason, o.DryRun);
    }

    private static void Close(IConsumer<byte[], byte[]> consumer, HashSet<int> open, TopicPartition tp)
    {
        if (open.Remove(tp.Partition.Value))
        {
            consumer.IncrementalUnassign([tp]);
        }
    }

    private static async Task PaceAsync(ReplayOptions o, long index, Stopwatch clock, CancellationToken ct)
    {
        if (o.RecordsPerSecond > 0)
        {
            var due = TimeSpan.FromSeconds(index / o.RecordsPerSecond) - clock.Elapsed;
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due, ct);
            }
        }
    }

    private static Message<byte[], byte[]> Copy(ConsumeResult<byte[], byte[]> r)
    {
        var headers = new Headers();
        foreach (var h in r.Message.Headers)
        {
            if (!ReplayHeaders.DroppedPrefixes.Any(prefix => h.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                headers.Add(h.Key, h.GetValueBytes());
            }
        }

        headers.Add(ReplayHeaders.ReplayOf, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{r.Topic}:{r.Partition.Value}:{r.Offset.Value}")));
        headers.Add(ReplayHeaders.ReplayedAt, Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        return new Message<byte[], byte[]> { Key = r.Message.Key, Value = r.Message.Value, Headers = headers };
    }

    private static string Text(byte[]? b) => b is null ? "(null)" : Encoding.UTF8.GetString(b);

    private static string? HeaderText(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;

    /// <summary>Every event id the record carries (a command of several events carries several), or "-".</summary>
    private static string EventIds(Headers? headers)
    {
        var ids = headers?.Where(h => h.Key == ReplayHeaders.EventId).Select(h => Encoding.UTF8.GetString(h.GetValueBytes())).ToList();
        return ids is { Count: > 0 } ? string.Join(',', ids) : "-";
    }

    private sealed class Counts
    {
        public long Scanned { get; set; }

        public long Matched { get; private set; }

        public long SkippedNoTarget { get; set; }

        public Dictionary<string, long> ByTarget { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> ByReason { get; } = new(StringComparer.Ordinal);

        public void Match(string target, string reason)
        {
            Matched++;
            ByTarget[target] = ByTarget.GetValueOrDefault(target) + 1;
            ByReason[reason] = ByReason.GetValueOrDefault(reason) + 1;
        }
    }
}
