namespace MesErpStreams.Replay;

/// <summary>Progress of a running replay.</summary>
/// <param name="Scanned">Records read so far.</param>
/// <param name="Total">Offsets in the range (an upper bound: transaction markers and aborted records occupy offsets too).</param>
/// <param name="Matched">Records that passed the filters so far.</param>
public readonly record struct ReplayProgress(long Scanned, long Total, long Matched);
