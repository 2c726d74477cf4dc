using System.Net;

namespace MesErpStreams.Sink.Erp.Internal;

/// <summary>Maps HTTP answers and transport failures to <see cref="ErpPostingOutcome"/>s. Pure, unit tested.</summary>
internal static class OutcomeClassifier
{
    /// <summary>Classifies an answer that arrived. <paramref name="documentNumber"/> and <paramref name="duplicate"/> come from a 2xx body.</summary>
    public static ErpPostingOutcome FromResponse(int status, string? documentNumber, bool duplicate, string? message, TimeSpan? retryAfter)
    {
        if (status is >= 200 and < 300)
        {
            return string.IsNullOrEmpty(documentNumber)
                // The ERP accepted but did not say which document: ask again; the idempotency key makes that safe.
                ? new ErpPostingOutcome(ErpOutcomeKind.TransientFailure, null, status, "success answer without a document number", null, "bad-response", false)
                : new ErpPostingOutcome(duplicate ? ErpOutcomeKind.Duplicate : ErpOutcomeKind.Posted, documentNumber, status, null, null, null, false);
        }

        return status switch
        {
            429 => Transient(status, message ?? "throttled", retryAfter, "throttled", erpDown: false),
            408 or 425 => Transient(status, message ?? "request timeout", retryAfter, "timeout", erpDown: true),
            // Auth failures are configuration or token problems, not bad commands: never dead-letter for them.
            401 or 403 => Transient(status, message ?? "not authorised", retryAfter, "auth", erpDown: true),
            >= 500 => Transient(status, message ?? $"server error {status}", retryAfter, "server-error", erpDown: true),
            // Locked by another user (SAP: the order is being edited): the posting's own, passing failure: retry tiers.
            423 => Transient(status, message ?? "locked", retryAfter, "locked", erpDown: false),
            409 => new ErpPostingOutcome(ErpOutcomeKind.PermanentFailure, null, status, message ?? "idempotency key reused for a different posting", null, "conflict", false),
            >= 400 => new ErpPostingOutcome(ErpOutcomeKind.PermanentFailure, null, status, message ?? $"rejected with {status}", null, "validation", false),
            _ => Transient(status, message ?? $"unexpected status {status}", retryAfter, "bad-response", erpDown: false),
        };
    }

    /// <summary>Classifies a call that got no answer.</summary>
    public static ErpPostingOutcome FromException(Exception e, bool timedOut) => timedOut
        ? Transient(null, "the ERP did not answer in time", null, "timeout", erpDown: true)
        : Transient(null, e is HttpRequestException h ? $"{h.HttpRequestError}: {h.Message}" : e.Message, null, "connection", erpDown: true);

    /// <summary>Reads Retry-After as seconds or as an HTTP date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage r, DateTimeOffset now)
    {
        var h = r.Headers.RetryAfter;
        if (h?.Delta is { } d)
        {
            return d < TimeSpan.Zero ? TimeSpan.Zero : d;
        }

        return h?.Date is { } at ? (at > now ? at - now : TimeSpan.Zero) : null;
    }

    public static bool IsSuccess(HttpStatusCode s) => (int)s is >= 200 and < 300;

    private static ErpPostingOutcome Transient(int? status, string message, TimeSpan? retryAfter, string failureClass, bool erpDown) =>
        new(ErpOutcomeKind.TransientFailure, null, status, message, retryAfter, failureClass, erpDown);
}
