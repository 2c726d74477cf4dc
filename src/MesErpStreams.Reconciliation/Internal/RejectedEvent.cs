namespace MesErpStreams.Reconciliation.Internal;

/// <summary>An event the pipeline dead-lettered: not expected in the ERP, so not a gap.</summary>
internal sealed record RejectedEvent(Guid EventId, string EventType, string Plant, string Order, string Reason);
