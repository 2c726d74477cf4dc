using MesErpStreams.Contracts.Erp.Master;

namespace MesErpStreams.Pipeline.Domain;

/// <summary>Read access to ERP master data (the global tables built from the compacted master-data topics).</summary>
public interface IMasterData
{
    /// <summary>The work order, or null when it has not arrived.</summary>
    WorkOrder? FindWorkOrder(string plant, string orderNumber);

    /// <summary>The material at a plant, or null when it has not arrived.</summary>
    Material? FindMaterial(string plant, string materialNumber);
}
