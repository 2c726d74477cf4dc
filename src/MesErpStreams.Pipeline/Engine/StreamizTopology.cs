using MesErpStreams.Observability;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>
/// The MES → ERP topology on Streamiz.Kafka.Net: the four event topics as bytes → one transformer with the dedupe
/// store and the pending store, reading the master-data GlobalKTables → erp.posting-commands and
/// mes.events.dlq, both written by the task that consumed the event, in its transaction.
/// </summary>
public static class StreamizTopology
{
    /// <summary>
    /// Event id → first-seen time (persistent key-value store; 8 bytes, big-endian epoch ms, as the former runtime's
    /// store of the same name and changelog wrote them). Entries older than <see cref="PipelineOptions.DedupeRetention"/>
    /// no longer count and are swept out by a punctuation.
    /// </summary>
    public const string DedupeStore = "dedupe";

    /// <summary>Events waiting for master data.</summary>
    public const string PendingStore = "pending-events";

    /// <summary>Global table of erp.master.work-orders (the topic's bytes).</summary>
    public const string WorkOrdersTable = "work-orders";

    /// <summary>Global table of erp.master.materials (the topic's bytes).</summary>
    public const string MaterialsTable = "materials";

    /// <summary>The transformer node.</summary>
    public const string ProcessorNode = "mes-to-erp";

    /// <summary>Sink node of erp.posting-commands.</summary>
    public const string CommandsSink = "commands";

    /// <summary>Sink node of mes.events.dlq.</summary>
    public const string DeadLetterSink = "events-dlq";

    /// <summary>The event topics the topology reads (co-partitioned: task N reads partition N of each).</summary>
    public static IReadOnlyList<string> EventTopics { get; } = [T.ProductionConfirmations, T.ScrapReports, T.MaterialConsumptions, T.QualityHolds];

    /// <summary>The state stores whose changelog topics the topology writes (<c>{applicationId}-{store}-changelog</c>).</summary>
    public static IReadOnlyList<string> ChangelogStores { get; } = [DedupeStore, PendingStore];

    /// <summary>Changelog topic of <paramref name="store"/> for <paramref name="applicationId"/> (Kafka Streams' naming).</summary>
    public static string ChangelogTopic(string applicationId, string store) => $"{applicationId}-{store}-changelog";

    /// <summary>Builds the topology.</summary>
    /// <param name="codecs">Value codecs.</param>
    /// <param name="options">Pipeline behaviour.</param>
    /// <param name="applicationId">Written on dead letters of undecodable records.</param>
    /// <param name="instanceRunning">Whether the instance is RUNNING (see <see cref="EngineSettings.InstanceRunning"/>); null: always.</param>
    /// <param name="lag">Consumer lag of the event partitions, fed per record; null: none.</param>
    /// <param name="closeGuard">Tripped when Streamiz closes tasks dirty: tasks then refuse to open; null: none.</param>
    /// <param name="log">Where tasks log waiting, released and dead-lettered events (rate-limited); null: nowhere.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static Topology Build(PipelineCodecs codecs, PipelineOptions options, string applicationId, Func<bool>? instanceRunning = null, ConsumerLagMonitor? lag = null,
        DirtyCloseGuard? closeGuard = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        var settings = new EngineSettings(options, codecs, applicationId, instanceRunning ?? (static () => true), lag, closeGuard, log);
        var builder = new StreamBuilder();
        var events = Source(builder, T.ProductionConfirmations)
            .Merge(Source(builder, T.ScrapReports), "merge-scrap")
            .Merge(Source(builder, T.MaterialConsumptions), "merge-consumption")
            .Merge(Source(builder, T.QualityHolds), "merge-hold");

        // A key-value store, not a window store: a window-store lookup over the whole retention opens an iterator
        // on every segment (measured: a quarter of the topology's time at 100,000 records); a point lookup is one
        // RocksDB get. Expired entries are swept by a punctuation (MesEventTransformer.SweepDedupe).
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(DedupeStore), new StringSerDes(), new ByteArraySerDes()));
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(PendingStore), new StringSerDes(), new PendingSerDes()));
        // The global tables live in memory: every start reads the compacted master-data topics anyway before RUNNING
        // (a bounded set: work orders and materials of the plants), and an in-memory lookup is a dictionary probe
        // where RocksDB's was a native call per event and table.
        builder.GlobalTable(T.WorkOrders, new StringSerDes(), new ByteArraySerDes(), InMemory.As<string, byte[]>(WorkOrdersTable));
        builder.GlobalTable(T.Materials, new StringSerDes(), new ByteArraySerDes(), InMemory.As<string, byte[]>(MaterialsTable));

        var outputs = events.Transform(
            TransformerBuilder.New<string, byte[], string, byte[]>().Transformer<MesEventTransformer>(settings).Build(),
            ProcessorNode, DedupeStore, PendingStore);
        // No stream partitioner: with one, Streamiz asks for the sink topic's partition count on every record, and
        // builds its whole admin configuration to do so (measured: 12 % of the topology's time). Without one the
        // producer's partitioner places the record by its key (murmur2, as Java clients), which is what we want.
        outputs.To(new FixedTopic(T.PostingCommands), new StringSerDes(), new ByteArraySerDes(), RecordTimestamp.Instance, null!, CommandsSink);
        outputs.To(new FixedTopic(T.EventsDeadLetter), new StringSerDes(), new ByteArraySerDes(), RecordTimestamp.Instance, null!, DeadLetterSink);
        return builder.Build();
    }

    /// <summary>One sink topic (Streamiz's own static extractor is internal).</summary>
    private sealed class FixedTopic(string topic) : ITopicNameExtractor<string, byte[]>
    {
        public string Extract(string key, byte[] value, IRecordContext recordContext) => topic;
    }

    /// <summary>The output's timestamp as the transformer set it (ChangeTimestamp).</summary>
    private sealed class RecordTimestamp : IRecordTimestampExtractor<string, byte[]>
    {
        public static readonly RecordTimestamp Instance = new();

        public long Extract(string key, byte[] value, IRecordContext recordContext) => recordContext.Timestamp;
    }

    private static IKStream<string, byte[]> Source(StreamBuilder builder, string topic) =>
        builder.Stream(topic, new StringSerDes(), new ByteArraySerDes(), "source-" + topic);
}
