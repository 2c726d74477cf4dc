using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using MesErpStreams.Observability;

namespace MesErpStreams.Streams.Internal;

/// <summary>
/// Instruments of one instance. Counters and histograms are updated on the stream thread; gauges read snapshots the
/// stream thread publishes (observable callbacks run on the collector's thread).
/// </summary>
internal sealed class StreamsMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?> _app;
    private readonly Counter<long> _consumed;
    private readonly Counter<long> _produced;
    private readonly Histogram<double> _process;
    private readonly Histogram<double> _commit;
    private readonly Counter<long> _committed;
    private readonly Counter<long> _aborted;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _restored;
    private readonly Histogram<double> _punctuation;
    private readonly ConsumerLagMonitor _lag;
    private volatile Measurement<long>[] _storeEntries = [];
    private volatile Measurement<long>[] _globalEntries = [];
    private volatile Measurement<long>[] _restoreRemaining = [];

    public StreamsMetrics(string applicationId)
    {
        _meter = new Meter(StreamsMetricNames.MeterName);
        _app = new("application", applicationId);
        _consumed = _meter.CreateCounter<long>(StreamsMetricNames.RecordsConsumed, "{record}", "Input records consumed");
        _produced = _meter.CreateCounter<long>(StreamsMetricNames.RecordsProduced, "{record}", "Records produced (outputs, changelogs, dead letters)");
        _process = _meter.CreateHistogram<double>(StreamsMetricNames.ProcessDuration, "s", "Processing time per input record");
        _commit = _meter.CreateHistogram<double>(StreamsMetricNames.CommitDuration, "s", "Commit duration");
        _committed = _meter.CreateCounter<long>(StreamsMetricNames.TransactionsCommitted, "{transaction}", "Committed transactions");
        _aborted = _meter.CreateCounter<long>(StreamsMetricNames.TransactionsAborted, "{transaction}", "Aborted transactions");
        _deadLettered = _meter.CreateCounter<long>(StreamsMetricNames.RecordsDeadLettered, "{record}", "Records sent to the dead-letter topic");
        _restored = _meter.CreateCounter<long>(StreamsMetricNames.RestoreRecords, "{record}", "Changelog records restored");
        _punctuation = _meter.CreateHistogram<double>(StreamsMetricNames.PunctuationDuration, "s", "Punctuation callback duration");
        _lag = new ConsumerLagMonitor(applicationId);
        _meter.CreateObservableGauge(StreamsMetricNames.StoreEntries, () => _storeEntries, "{entry}", "Approximate entries per store partition");
        _meter.CreateObservableGauge(StreamsMetricNames.GlobalTableEntries, () => _globalEntries, "{entry}", "Entries per global table");
        _meter.CreateObservableGauge(StreamsMetricNames.RestoreRemaining, () => _restoreRemaining, "{record}", "Changelog records left to restore");
    }

    public void Consumed(ConsumeResult<byte[], byte[]> record)
    {
        _consumed.Add(1, _app, new("topic", record.Topic));
        _lag.Consumed(record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Timestamp.UtcDateTime);
    }

    public void Produced(string topic, long count = 1) => _produced.Add(count, _app, new("topic", topic));

    public void ProcessTime(long startTimestamp) => _process.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, _app);

    public void CommitTime(long startTimestamp) => _commit.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, _app);

    public void Committed() => _committed.Add(1, _app);

    public void Aborted() => _aborted.Add(1, _app);

    public void DeadLettered(ErrorStage stage) => _deadLettered.Add(1, _app, new("stage", DeadLetterHeaders.StageValue(stage)));

    public void Restored(string store, long count) => _restored.Add(count, _app, new("store", store));

    public void PunctuationTime(long startTimestamp) => _punctuation.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, _app);

    /// <summary>Lag in records and seconds from the consumer's cached watermarks and positions (no broker round trip).</summary>
    public void PublishLag(IConsumer<byte[], byte[]> consumer) => _lag.Refresh(consumer);

    public void PublishStores(IEnumerable<(string Store, int Partition, long Entries)> stores) =>
        _storeEntries = stores.Select(s => new Measurement<long>(s.Entries, _app, new("store", s.Store), new("partition", s.Partition))).ToArray();

    public void PublishGlobalTables(IEnumerable<(string Store, long Entries)> tables) =>
        _globalEntries = tables.Select(s => new Measurement<long>(s.Entries, _app, new("store", s.Store))).ToArray();

    public void PublishRestoreRemaining(IEnumerable<(string Store, long Remaining)> remaining) =>
        _restoreRemaining = remaining.Select(s => new Measurement<long>(s.Remaining, _app, new("store", s.Store))).ToArray();

    public void Dispose()
    {
        _lag.Dispose();
        _meter.Dispose();
    }
}
