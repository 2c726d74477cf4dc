namespace MesErpStreams.Edge.Simulation;

/// <summary>What a simulator run has published so far (a snapshot).</summary>
/// <param name="EventsPublished">Event records sent, counting re-sent duplicates and invalid events (summary key <c>events_published</c>).</param>
/// <param name="DuplicatesSent">Re-sends of an already sent event id (<c>duplicates_sent</c>).</param>
/// <param name="InvalidSent">Events sent that the processor must dead-letter (<c>invalid_sent</c>).</param>
/// <param name="MasterDataPublished">Work order and material records sent to the master-data topics.</param>
public sealed record MesSimulatorStats(long EventsPublished, long DuplicatesSent, long InvalidSent, long MasterDataPublished);
