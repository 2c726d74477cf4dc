using MesErpStreams.Contracts.Erp;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>A MES event as read from its topic.</summary>
/// <param name="Event">The event.</param>
/// <param name="RecordTime">Kafka record timestamp (when it was published): decides whether it has settled.</param>
/// <param name="Mapped">The command the pipeline's mapping makes of it with today's master data; null when the master
/// data is missing or the mapping rejects it (then the command actually emitted is the reference).</param>
internal sealed record ObservedEvent(MesEvent Event, DateTimeOffset RecordTime, ErpPostingCommand? Mapped = null);
