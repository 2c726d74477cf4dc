namespace MesErpStreams.Streams;

/// <summary>
/// Instruments of the streams runtime, published on the <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <see cref="MeterName"/>. Names use OpenTelemetry dots; a Prometheus exporter turns them into the names in the
/// remarks (dots become underscores, units and <c>_total</c> are appended). Every instrument carries an
/// <c>application</c> tag.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>meserp_streams_records_consumed_total{topic}</c></item>
/// <item><c>meserp_streams_records_produced_total{topic}</c> (outputs, changelog and dead-letter records)</item>
/// <item><c>meserp_streams_process_duration_seconds</c> (histogram, per input record)</item>
/// <item><c>meserp_streams_commit_duration_seconds</c> (histogram, per commit)</item>
/// <item><c>meserp_streams_transactions_committed_total</c>, <c>meserp_streams_transactions_aborted_total</c></item>
/// <item><c>meserp_streams_records_dead_lettered_total{stage}</c></item>
/// <item><c>meserp_streams_restore_records_total{store}</c>, <c>meserp_streams_restore_remaining_records{store}</c></item>
/// <item>consumer lag, through <c>MesErpStreams.Observability.ConsumerLagMonitor</c> with the application id as the
/// group: <c>meserp_consumer_lag_records{group,topic,partition}</c> and <c>meserp_consumer_lag_seconds{group,topic,partition}</c></item>
/// <item><c>meserp_streams_punctuation_duration_seconds</c> (histogram)</item>
/// <item><c>meserp_streams_store_entries{store,partition}</c>, <c>meserp_streams_global_table_entries{store}</c></item>
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
