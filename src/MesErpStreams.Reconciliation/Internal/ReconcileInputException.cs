namespace MesErpStreams.Reconciliation.Internal;

/// <summary>An input (Kafka, registry, ERP) cannot be read: the command exits 2 with the message.</summary>
internal sealed class ReconcileInputException(string message, Exception? inner = null) : Exception(message, inner);
