namespace MesErpStreams.Streams;

/// <summary>
/// Instruments of the streams runtime, published on the <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <see cref="MeterName"/>. Names use OpenTelemetry dots; prometheus-net's meter adapter (the /metrics endpoint)
/// publishes them as the names in the remarks: meter and instrument name joined, lower case, dots as underscores, no
/// unit suffix, counters as gauges holding the running sum. Every instrument carries an
/// <c>application</c> tag.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>meserpstreams_streams_meserp_streams_records_consumed{topic}</c></item>
/// <item><c>meserpstreams_streams_meserp_streams_records_produced{topic}</c> (outputs, changelog and dead-letter records)</item>
/// <item><c>meserpstreams_streams_meserp_streams_process_duration</c> (histogram, per input record)</item>
/// <item><c>meserpstreams_streams_meserp_streams_commit_duration</c> (histogram, per commit)</item>
/// <item><c>meserpstreams_streams_meserp_streams_transactions_committed</c>, <c>meserpstreams_streams_meserp_streams_transactions_aborted</c></item>
/// <item><c>meserpstreams_streams_meserp_streams_records_dead_lettered{stage}</c></item>
/// <item><c>meserpstreams_streams_meserp_streams_restore_records{store}</c>, <c>meserpstreams_streams_meserp_streams_restore_remaining{store}</c></item>
/// <item>consumer lag, through <c>MesErpStreams.Observability.ConsumerLagMonitor</c> with the application id as the
/// group: <c>meserpstreams_consumer_meserp_consumer_lag_records{group,topic,partition}</c> and <c>meserpstreams_consumer_meserp_consumer_lag{group,topic,partition}</c></item>
/// <item><c>meserpstreams_streams_meserp_streams_punctuation_duration</c> (histogram)</item>
/// <item><c>meserpstreams_streams_meserp_streams_store_entries{store,partition}</c>, <c>meserpstreams_streams_meserp_streams_global_table_entries{store}</c></item>
/// </list>
/// </remarks>
public static class StreamsMetricNames
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "MesErpStreams.Streams";

    /// <summary>Input records taken from source topics, by topic.</summary>
    public const string RecordsConsumed = "meserp.streams.records.consumed";

    /// <summary>Records sent to output, changelog and dead-letter topics, by topic.</summary>
    public const string RecordsProduced = "meserp.streams.records.produced";

    /// <summary>Time to process one input record (deserialize, processors, serialize), seconds.</summary>
    public const string ProcessDuration = "meserp.streams.process.duration";

    /// <summary>Time of one commit (changelog flush, offsets, transaction commit, local apply), seconds.</summary>
    public const string CommitDuration = "meserp.streams.commit.duration";

    /// <summary>Committed transactions (at-least-once: offset commits).</summary>
    public const string TransactionsCommitted = "meserp.streams.transactions.committed";

    /// <summary>Aborted transactions.</summary>
    public const string TransactionsAborted = "meserp.streams.transactions.aborted";

    /// <summary>Records sent to the dead-letter topic, by stage.</summary>
    public const string RecordsDeadLettered = "meserp.streams.records.dead_lettered";

    /// <summary>Changelog records applied while restoring, by store.</summary>
    public const string RestoreRecords = "meserp.streams.restore.records";

    /// <summary>Changelog records still to restore, by store.</summary>
    public const string RestoreRemaining = "meserp.streams.restore.remaining";

    /// <summary>Time spent in one punctuation callback, seconds.</summary>
    public const string PunctuationDuration = "meserp.streams.punctuation.duration";

    /// <summary>Approximate entries per store partition.</summary>
    public const string StoreEntries = "meserp.streams.store.entries";

    /// <summary>Entries per global table.</summary>
    public const string GlobalTableEntries = "meserp.streams.global_table.entries";
}
