namespace MesErpStreams.Pipeline.Domain;

/// <summary>
/// Kafka keys of the product's topics, in one place: producers, the pipeline and the sink must agree on them,
/// because keys decide partitions and so ordering.
/// </summary>
public static class EventKeys
{
    /// <summary>Events of a work order and its master record: <c>plant/order</c>.</summary>
    public static string WorkOrder(string plant, string workOrder) => string.Concat(plant, "/", workOrder);

    /// <summary>Material master records: <c>plant/material</c>.</summary>
    public static string Material(string plant, string material) => string.Concat(plant, "/", material);

    /// <summary>Quality holds and stock status changes: <c>plant/material/batch</c>.</summary>
    public static string MaterialBatch(string plant, string material, string batch) => string.Concat(plant, "/", material, "/", batch);
}
