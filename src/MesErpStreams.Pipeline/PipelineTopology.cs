namespace MesErpStreams.Pipeline;

/// <summary>Names of the MES → ERP pipeline: its default application id and its topics (the topology is <see cref="Engine.StreamizTopology"/>).</summary>
public static class PipelineTopology
{
    /// <summary>Default application id (consumer group, transactional id prefix, changelog topic prefix).</summary>
    public const string DefaultApplicationId = "meserp-processor";

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
}
