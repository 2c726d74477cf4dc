using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Streams.State;

namespace MesErpStreams.Pipeline.Internal;

/// <summary>Master data read from the global tables.</summary>
internal sealed class TableMasterData(IReadOnlyKeyValueStore<string, WorkOrder?> orders, IReadOnlyKeyValueStore<string, Material?> materials) : IMasterData
{
    public WorkOrder? FindWorkOrder(string plant, string orderNumber) =>
        orders.TryGet(EventKeys.WorkOrder(plant, orderNumber), out var o) ? o : null;

    public Material? FindMaterial(string plant, string materialNumber) =>
        materials.TryGet(EventKeys.Material(plant, materialNumber), out var m) ? m : null;
}
