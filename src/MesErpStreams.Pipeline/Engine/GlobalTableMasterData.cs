using Confluent.Kafka;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Pipeline.Domain;
using Streamiz.Kafka.Net.State;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>
/// Master data from the two GlobalKTables, which hold the topics' bytes as they are: a record is decoded when it is
/// looked up, so a master-data record the codec cannot read makes the events that need it wait (and, after the
/// pending timeout, MASTER_DATA_MISSING with the reason), instead of stopping the global thread.
/// </summary>
internal sealed class GlobalTableMasterData(
    IReadOnlyKeyValueStore<string, ValueAndTimestamp<byte[]>> orders,
    IReadOnlyKeyValueStore<string, ValueAndTimestamp<byte[]>> materials,
    PipelineCodecs codecs) : IMasterData
{
    private static readonly SerializationContext OrdersContext = new(MessageComponentType.Value, PipelineTopology.Topics.WorkOrders);
    private static readonly SerializationContext MaterialsContext = new(MessageComponentType.Value, PipelineTopology.Topics.Materials);

    /// <summary>The last master-data record that could not be decoded, for the pending detail and the log.</summary>
    public string? LastDecodeFailure { get; private set; }

    public WorkOrder? FindWorkOrder(string plant, string orderNumber) =>
        Decode(orders, EventKeys.WorkOrder(plant, orderNumber), codecs.WorkOrder, OrdersContext);

    public Material? FindMaterial(string plant, string materialNumber) =>
        Decode(materials, EventKeys.Material(plant, materialNumber), codecs.Material, MaterialsContext);

    /// <summary>Whether <paramref name="masterKey"/> (<c>work-order:…</c> or <c>material:…</c>, as in <see cref="MappingOutcome.MissingMasterData"/>) is in its table.</summary>
    public bool Contains(string masterKey)
    {
        if (masterKey.StartsWith(WorkOrderPrefix, StringComparison.Ordinal))
        {
            return orders.Get(masterKey[WorkOrderPrefix.Length..])?.Value is not null;
        }

        return masterKey.StartsWith(MaterialPrefix, StringComparison.Ordinal) && materials.Get(masterKey[MaterialPrefix.Length..])?.Value is not null;
    }

    private const string WorkOrderPrefix = "work-order:";
    private const string MaterialPrefix = "material:";

    private T? Decode<T>(IReadOnlyKeyValueStore<string, ValueAndTimestamp<byte[]>> store, string key, IAsyncDeserializer<T> codec, SerializationContext context)
        where T : class
    {
        var bytes = store.Get(key)?.Value;
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return RegistryCall.Result(codec.DeserializeAsync(bytes, false, context));
        }
        catch (Exception e) when (codecs.IsTransient?.Invoke(e) != true)
        {
            LastDecodeFailure = $"{context.Topic} record {key} cannot be decoded: {e.Message}";
            return null;
        }
    }
}
