namespace MesErpStreams.Edge.Simulation;

/// <summary>One record the simulator publishes.</summary>
/// <param name="Kind">Master data, event, duplicate or invalid event.</param>
/// <param name="Topic">Target topic.</param>
/// <param name="Key">Kafka key (<see cref="MesErpStreams.Pipeline.Domain.EventKeys"/>).</param>
/// <param name="Value">The contract record (an event, <c>WorkOrder</c> or <c>Material</c>).</param>
public sealed record SimulatedRecord(SimulatedRecordKind Kind, string Topic, string Key, object Value);
