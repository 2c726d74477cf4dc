using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Avro.Benchmarks;

/// <summary>The benchmark record: 1024 realistic ProductionConfirmations (the contract of schemas/mes/ProductionConfirmation.avsc).</summary>
internal static class Samples
{
    public static ProductionConfirmation[] Create() => Enumerable.Range(0, 1024).Select(i => new ProductionConfirmation
    {
        EventId = Guid.NewGuid(), Plant = "1000", SourceSystem = "mes-line-7",
        OccurredAt = DateTimeOffset.UnixEpoch.AddMilliseconds(1_763_700_000_000 + i), Sequence = i,
        Trace = new TraceContext { Traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
        WorkOrder = "000100004711", Operation = "0010", WorkCenter = "WC-ASSY-01",
        YieldQuantity = new Quantity { Value = 125.5m + (i % 100), Unit = "PC" }, FinalConfirmation = i % 10 == 0,
        Batch = "B-2026-11-22", Shift = "A",
    }).ToArray();
}
