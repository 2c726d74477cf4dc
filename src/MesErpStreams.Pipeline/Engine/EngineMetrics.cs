using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Metrics;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>
/// Engine instruments of the Streamiz processor, under the meter and instrument names the dashboards and alert rules
/// have always used (Meter <c>MesErpStreams.Streams</c>, <c>meserp.streams.*</c>): records consumed and produced per
/// topic, per-record processing and punctuation time, records dead-lettered by stage, restore progress, entries of the
/// pending store and the global tables; committed transactions and commit latency from Streamiz's own sensors. Every
/// other Streamiz sensor (process, poll and punctuate rates and latencies, task creation, …) is bridged as
/// <c>meserp.streams.streamiz{metric,group,…}</c>, read when /metrics is scraped: Streamiz's metrics reporter runs at
/// most every 30 s.
/// </summary>
internal static class EngineMetrics
{
    /// <summary>Meter name (the same as the former runtime's, so the exported series keep their names).</summary>
    public const string MeterName = "MesErpStreams.Streams";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<KafkaStream, string> Streams = new();
    private static readonly ConcurrentDictionary<object, Func<IEnumerable<Measurement<long>>>> Stores = new();
    private static readonly ConcurrentDictionary<(string Store, string Partition), long> Remaining = new();

    internal static readonly Counter<long> Consumed = Meter.CreateCounter<long>("meserp.streams.records.consumed", "{record}", "Input records consumed");
    internal static readonly Counter<long> Produced = Meter.CreateCounter<long>("meserp.streams.records.produced", "{record}", "Records produced (outputs and dead letters; changelog writes are in Streamiz's sensors)");
    internal static readonly Histogram<double> ProcessDuration = Meter.CreateHistogram<double>("meserp.streams.process.duration", "s", "Processing time per input record");
    internal static readonly Histogram<double> PunctuationDuration = Meter.CreateHistogram<double>("meserp.streams.punctuation.duration", "s", "Punctuation callback duration");
    internal static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("meserp.streams.records.dead_lettered", "{record}", "Records the engine dead-lettered as they are (stage deserialize: undecodable)");
    internal static readonly Counter<long> Restored = Meter.CreateCounter<long>("meserp.streams.restore.records", "{record}", "Changelog records restored");

    static EngineMetrics()
    {
        Meter.CreateObservableCounter("meserp.streams.transactions.committed", () => Sum("commit-total"), "{transaction}", "Commits (transactions under exactly once), from Streamiz's thread sensors");
        Meter.CreateObservableGauge("meserp.streams.commit.latency", CommitLatency, "s", "Commit latency over Streamiz's sample window (stat=avg|max)");
        Meter.CreateObservableGauge("meserp.streams.restore.remaining", () => Remaining.Select(kv => new Measurement<long>(kv.Value, new("store", kv.Key.Store), new("partition", kv.Key.Partition))), "{record}", "Changelog records left to restore");
        Meter.CreateObservableGauge("meserp.streams.store.entries", () => Stores.Values.SelectMany(f => f()), "{entry}", "Approximate entries per store (pending per task; global tables)");
        Meter.CreateObservableGauge("meserp.streams.streamiz", Sensors, "1", "Streamiz's own sensors, by metric name and group");
    }

    /// <summary>Bridges <paramref name="stream"/>'s sensors and restore progress until <see cref="Untrack"/>.</summary>
    public static void Track(KafkaStream stream, string applicationId)
    {
        Streams[stream] = applicationId;
        stream.OnRestoreStartEvent += (tp, store, start, end) => Remaining[RemainingKey(store, tp)] = Math.Max(0, end - start);
        stream.OnRestoreBatchEvent += (tp, store, _, restored) =>
        {
            Restored.Add(restored, new KeyValuePair<string, object?>("store", store));
            Remaining.AddOrUpdate(RemainingKey(store, tp), 0, (_, left) => Math.Max(0, left - restored));
        };
        stream.OnRestoreEndEvent += (tp, store, _) => Remaining[RemainingKey(store, tp)] = 0;
    }

    private static (string Store, string Partition) RemainingKey(string store, Confluent.Kafka.TopicPartition tp) =>
        (store, tp.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static void Untrack(KafkaStream stream) => Streams.TryRemove(stream, out _);

    /// <summary>Publishes <paramref name="owner"/>'s store sizes until <see cref="UntrackStores"/>.</summary>
    public static void TrackStores(object owner, Func<IEnumerable<Measurement<long>>> entries) => Stores[owner] = entries;

    public static void UntrackStores(object owner) => Stores.TryRemove(owner, out _);

    /// <summary>Seconds since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static double Since(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;

    private static IEnumerable<(StreamMetric Metric, string Application)> All()
    {
        foreach (var (stream, app) in Streams)
        {
            foreach (var sensor in stream.Metrics())
            {
                foreach (var metric in sensor.Metrics.Values)
                {
                    yield return (metric, app);
                }
            }
        }
    }

    private static bool TryNumber(object? value, out double number)
    {
        switch (value)
        {
            case double d when double.IsFinite(d): number = d; return true;
            case float f when float.IsFinite(f): number = f; return true;
            case long l: number = l; return true;
            case int i: number = i; return true;
            default: number = 0; return false;
        }
    }

    private static IEnumerable<Measurement<long>> Sum(string name) =>
        All().Where(m => m.Metric.Name == name && m.Metric.Group == StreamMetricsRegistry.THREAD_LEVEL_GROUP)
            .GroupBy(m => m.Application)
            .Select(g => new Measurement<long>(g.Sum(m => TryNumber(m.Metric.Value, out var v) ? (long)v : 0), new KeyValuePair<string, object?>("application", g.Key)));

    private static IEnumerable<Measurement<double>> CommitLatency()
    {
        foreach (var (metric, app) in All())
        {
            if (metric.Group == StreamMetricsRegistry.THREAD_LEVEL_GROUP && metric.Name is "commit-latency-avg" or "commit-latency-max"
                && TryNumber(metric.Value, out var ms))
            {
                yield return new Measurement<double>(ms / 1000.0, new("application", app), new("stat", metric.Name[^3..]),
                    new("thread", metric.Tags.GetValueOrDefault(StreamMetricsRegistry.THREAD_ID_TAG)));
            }
        }
    }

    private static IEnumerable<Measurement<double>> Sensors()
    {
        foreach (var (metric, app) in All())
        {
            if (TryNumber(metric.Value, out var value))
            {
                var tags = new TagList { { "application", app }, { "metric", metric.Name }, { "group", metric.Group } };
                foreach (var (k, v) in metric.Tags)
                {
                    tags.Add(k.Replace('-', '_'), v);
                }

                yield return new Measurement<double>(value, tags);
            }
        }
    }
}
