namespace MesErpStreams.Cli.Run;

/// <summary>How a run's drain ended.</summary>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Complete">The ERP ledger held every expected posting.</param>
/// <param name="CutOff">It was ended by <c>--max-drain</c> while postings were still arriving: the missing postings were
/// on their way (an overloaded run's backlog), not judged lost. False when complete, or when the ledger had stalled.</param>
internal sealed record DrainResult(TimeSpan Elapsed, bool Complete, bool CutOff);
