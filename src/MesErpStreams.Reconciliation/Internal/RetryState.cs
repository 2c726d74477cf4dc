namespace MesErpStreams.Reconciliation.Internal;

/// <summary>A command waiting in a retry tier of the sink.</summary>
/// <param name="Tier">1-based tier.</param>
/// <param name="Attempts">ERP calls that failed so far.</param>
/// <param name="LastFailure">Failure class and message of the last failed call.</param>
/// <param name="DueAt">When the tier retries it.</param>
internal sealed record RetryState(int Tier, int Attempts, string? LastFailure, DateTimeOffset? DueAt);
