namespace MesErpStreams.Avro.Benchmarks;

/// <summary>A ProductionConfirmation-shaped record (see <see cref="ConfirmationSchema"/>), bound by the compiled codec.</summary>
internal sealed record ProductionConfirmation(
    Guid EventId,
    string Plant,
    string SourceSystem,
    DateTimeOffset OccurredAt,
    long Sequence,
    string WorkOrder,
    string Operation,
    string WorkCenter,
    Quantity YieldQuantity,
    bool FinalConfirmation,
    string? Batch,
    string? Shift,
    TraceContext? Trace);

internal sealed record Quantity(decimal Value, string Unit);

internal sealed record TraceContext(string TraceParent, string? TraceState);

internal static class ConfirmationSchema
{
    public const string Json = """
        {"type":"record","name":"ProductionConfirmation","namespace":"com.meserp.mes","fields":[
          {"name":"eventId","type":{"type":"string","logicalType":"uuid"}},
          {"name":"plant","type":"string"},
          {"name":"sourceSystem","type":"string"},
          {"name":"occurredAt","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"sequence","type":"long"},
          {"name":"workOrder","type":"string"},
          {"name":"operation","type":"string"},
          {"name":"workCenter","type":"string"},
          {"name":"yieldQuantity","type":{"type":"record","name":"Quantity","namespace":"com.meserp.common","fields":[
            {"name":"value","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":6}},
            {"name":"unit","type":"string"}]}},
          {"name":"finalConfirmation","type":"boolean"},
          {"name":"batch","type":["null","string"],"default":null},
          {"name":"shift","type":["null","string"],"default":null},
          {"name":"trace","type":["null",{"type":"record","name":"TraceContext","namespace":"com.meserp.common","fields":[
            {"name":"traceParent","type":"string"},{"name":"traceState","type":["null","string"],"default":null}]}],"default":null}]}
        """;

    public static ProductionConfirmation Sample(int i) => new(
        Guid.NewGuid(), "1000", "mes-line-7", DateTimeOffset.UnixEpoch.AddMilliseconds(1_763_700_000_000 + i), i,
        "000100004711", "0010", "WC-ASSY-01", new Quantity(125.5m + i % 100, "PC"), i % 10 == 0, "B-2026-11-22", "A",
        new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null));
}
