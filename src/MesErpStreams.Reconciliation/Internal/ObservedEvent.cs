using MesErpStreams.Contracts.Erp;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>A MES event as read from its topic.</summary>
/// <param name="Event">The event.</param>
/// <param name="RecordTime">Kafka record timestamp (when it was published): decides whether it has settled.</param>
/// <param name="Mapped">The command the pipeline's mapping makes of it with today's master data; null when the master
/// data is missing or the mapping rejects it (then the command actually emitted is the reference).</param>
/// <param name="Position">Where it was read (<c>topic[partition]@offset</c>); null in tests that do not need it.</param>
internal sealed record ObservedEvent(MesEvent Event, DateTimeOffset RecordTime, ErpPostingCommand? Mapped = null, string? Position = null);

/// <summary>A version of an event that was sent again under the same id, corrected, and not the version that was posted.</summary>
/// <param name="EventId">The event id.</param>
/// <param name="Position">Where the superseded version was read.</param>
/// <param name="PostedPosition">Where the version the command was made of was read.</param>
internal sealed record SupersededEvent(Guid EventId, string Position, string PostedPosition);
