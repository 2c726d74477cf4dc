using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Pipeline.Internal;
using MesErpStreams.Streams;
using MesErpStreams.Streams.State;

namespace MesErpStreams.Pipeline;

/// <summary>The MES → ERP topology run by <c>meserp process</c>.</summary>
public static class PipelineTopology
{
    /// <summary>Default application id (consumer group, transactional id prefix, changelog topic prefix).</summary>
    public const string DefaultApplicationId = "meserp-processor";

    /// <summary>Event id → first-seen time; retention = <see cref="PipelineOptions.DedupeRetention"/>.</summary>
    public const string DedupeStore = "dedupe";

    /// <summary>Events waiting for master data.</summary>
    public const string PendingStore = "pending";

    /// <summary>Global table of erp.master.work-orders.</summary>
    public const string WorkOrdersTable = "work-orders";

    /// <summary>Global table of erp.master.materials.</summary>
    public const string MaterialsTable = "materials";

    /// <summary>The processor node.</summary>
    public const string ProcessorNode = "mes-to-erp";

    /// <summary>Sink node of erp.posting-commands.</summary>
    public const string CommandsSink = "commands";

    /// <summary>Sink node of mes.events.dlq.</summary>
    public const string DeadLetterSink = "events-dlq";

    /// <summary>Topic names (the catalog's).</summary>
    public static class Topics
    {
        /// <summary>ProductionConfirmation events.</summary>
        public const string ProductionConfirmations = "mes.events.production-confirmations";

        /// <summary>ScrapReport events.</summary>
        public const string ScrapReports = "mes.events.scrap-reports";

        /// <summary>MaterialConsumption events.</summary>
        public const string MaterialConsumptions = "mes.events.material-consumptions";

        /// <summary>QualityHold events.</summary>
        public const string QualityHolds = "mes.events.quality-holds";

        /// <summary>Invalid or unpostable events.</summary>
        public const string EventsDeadLetter = "mes.events.dlq";

        /// <summary>Work order master data (compacted).</summary>
        public const string WorkOrders = "erp.master.work-orders";

        /// <summary>Material master data (compacted).</summary>
        public const string Materials = "erp.master.materials";

        /// <summary>ERP posting commands.</summary>
        public const string PostingCommands = "erp.posting-commands";
    }

    /// <summary>Builds the topology.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static Topology Build(PipelineSerdes serdes, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(serdes);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        var key = Serdes.String;
        var b = new TopologyBuilder();
        b.AddSource("pc-source", key, serdes.ProductionConfirmation, Topics.ProductionConfirmations);
        b.AddSource("scrap-source", key, serdes.ScrapReport, Topics.ScrapReports);
        b.AddSource("consumption-source", key, serdes.MaterialConsumption, Topics.MaterialConsumptions);
        b.AddSource("hold-source", key, serdes.QualityHold, Topics.QualityHolds);
        b.AddProcessor<string, ProductionConfirmation, string, MesEvent>("pc", () => new NormalizeProcessor<ProductionConfirmation>(MesEvent.From), "pc-source");
        b.AddProcessor<string, ScrapReport, string, MesEvent>("scrap", () => new NormalizeProcessor<ScrapReport>(MesEvent.From), "scrap-source");
        b.AddProcessor<string, MaterialConsumption, string, MesEvent>("consumption", () => new NormalizeProcessor<MaterialConsumption>(MesEvent.From), "consumption-source");
        b.AddProcessor<string, QualityHold, string, MesEvent>("hold", () => new NormalizeProcessor<QualityHold>(MesEvent.From), "hold-source");
        b.AddProcessor<string, MesEvent, string, object>(ProcessorNode, () => new MesEventProcessor(options), "pc", "scrap", "consumption", "hold");
        b.AddStateStore(Stores.Persistent(DedupeStore, key, Serdes.Int64).WithRetention(options.DedupeRetention), ProcessorNode);
        b.AddStateStore(Stores.Persistent(PendingStore, key, Serdes.From(EventCodec.PendingSerde.Instance, EventCodec.PendingSerde.Instance)), ProcessorNode);
        b.AddGlobalTable(WorkOrdersTable, Topics.WorkOrders, key, serdes.WorkOrder);
        b.AddGlobalTable(MaterialsTable, Topics.Materials, key, serdes.Material);
        b.AddSink(CommandsSink, Topics.PostingCommands, key, OutputSerializers.Commands(serdes.Command), ProcessorNode);
        b.AddSink(DeadLetterSink, Topics.EventsDeadLetter, key, OutputSerializers.DeadLetters(serdes), ProcessorNode);
        return b.Build();
    }
}
