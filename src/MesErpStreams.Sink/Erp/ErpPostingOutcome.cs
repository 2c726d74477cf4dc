namespace MesErpStreams.Sink.Erp;

/// <summary>The result of posting one command to the ERP.</summary>
/// <param name="Kind">How the call ended.</param>
/// <param name="DocumentNumber">ERP document number (Posted, Duplicate).</param>
/// <param name="HttpStatus">HTTP status, when an answer arrived.</param>
/// <param name="Message">Reason of a failure, from the ERP's error body when it has one.</param>
/// <param name="RetryAfter">The ERP's Retry-After, when it sent one.</param>
/// <param name="FailureClass">Short failure class for metrics and dead-letter headers (e.g. <c>validation</c>, <c>server-error</c>, <c>throttled</c>, <c>timeout</c>, <c>connection</c>).</param>
/// <param name="ErpUnavailable">True when the failure says the ERP as a whole is down (counts for the circuit breaker); false for throttling and failures of one request.</param>
public sealed record ErpPostingOutcome(
    ErpOutcomeKind Kind,
    string? DocumentNumber,
    int? HttpStatus,
    string? Message,
    TimeSpan? RetryAfter,
    string? FailureClass,
    bool ErpUnavailable)
{
    /// <summary>True for Posted and Duplicate.</summary>
    public bool IsSuccess => Kind is ErpOutcomeKind.Posted or ErpOutcomeKind.Duplicate;

    /// <summary>A permanent failure that never reached the ERP (e.g. an unknown command type).</summary>
    public static ErpPostingOutcome Invalid(string message) =>
        new(ErpOutcomeKind.PermanentFailure, null, null, message, null, "invalid-command", false);

    /// <summary>
    /// A batch item the ERP did not execute because the item it depends on did not succeed (HTTP 424): nothing was
    /// posted; the sink sends it again once the earlier posting of its order is settled.
    /// </summary>
    public static ErpPostingOutcome NotExecuted { get; } =
        new(ErpOutcomeKind.TransientFailure, null, 424, "not executed: an earlier posting of the same order in the batch did not succeed", null, "dependency", false);
}
