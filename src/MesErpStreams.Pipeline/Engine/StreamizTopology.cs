using MesErpStreams.Observability;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Crosscutting;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>
/// The MES → ERP topology on Streamiz.Kafka.Net: the four event topics as bytes → one transformer with the dedupe
/// window store and the pending store, reading the master-data GlobalKTables → erp.posting-commands and
/// mes.events.dlq, both written by the task that consumed the event, in its transaction.
/// </summary>
public static class StreamizTopology
{
    /// <summary>Event id → first seen (window store; retention = <see cref="PipelineOptions.DedupeRetention"/>).</summary>
    public const string DedupeStore = "dedupe-window";

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
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static Topology Build(PipelineCodecs codecs, PipelineOptions options, string applicationId, Func<bool>? instanceRunning = null, ConsumerLagMonitor? lag = null)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        var settings = new EngineSettings(options, codecs, applicationId, instanceRunning ?? (static () => true), lag);
        var builder = new StreamBuilder();
        var events = Source(builder, T.ProductionConfirmations)
            .Merge(Source(builder, T.ScrapReports), "merge-scrap")
            .Merge(Source(builder, T.MaterialConsumptions), "merge-consumption")
            .Merge(Source(builder, T.QualityHolds), "merge-hold");

        var retentionMs = (long)options.DedupeRetention.TotalMilliseconds;
        builder.AddStateStore(Stores.WindowStoreBuilder(
            Stores.PersistentWindowStore(DedupeStore, options.DedupeRetention, TimeSpan.FromMilliseconds(1), Math.Max(60_000, retentionMs / 4), false),
            new StringSerDes(), new ByteArraySerDes()));
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(PendingStore), new StringSerDes(), new PendingSerDes()));
        builder.GlobalTable(T.WorkOrders, new StringSerDes(), new ByteArraySerDes(),
            Materialized<string, byte[], IKeyValueStore<Bytes, byte[]>>.Create(WorkOrdersTable));
        builder.GlobalTable(T.Materials, new StringSerDes(), new ByteArraySerDes(),
            Materialized<string, byte[], IKeyValueStore<Bytes, byte[]>>.Create(MaterialsTable));

        var outputs = events.Transform(
            TransformerBuilder.New<string, byte[], string, byte[]>().Transformer<MesEventTransformer>(settings).Build(),
            ProcessorNode, DedupeStore, PendingStore);
        outputs.To(T.PostingCommands, new StringSerDes(), new ByteArraySerDes(), CommandsSink);
        outputs.To(T.EventsDeadLetter, new StringSerDes(), new ByteArraySerDes(), DeadLetterSink);
        return builder.Build();
    }

    private static IKStream<string, byte[]> Source(StreamBuilder builder, string topic) =>
        builder.Stream(topic, new StringSerDes(), new ByteArraySerDes(), "source-" + topic);
}
