using MesErpStreams.Reconciliation.Internal;

namespace MesErpStreams.Reconciliation;

/// <summary>
/// Runs the reconciliation of <c>meserp reconcile</c> from code (e.g. at the end of <c>meserp run</c>) and records its
/// metrics (<c>meserpstreams_reconciliation_*</c>, see docs/reconciliation.md) in the calling process.
/// </summary>
public static class ReconciliationCheck
{
    /// <summary>Reads the topics and the ERP ledger and compares them.</summary>
    /// <param name="options">Where to read.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    /// <returns>The summary; <see cref="ReconciliationSummary.Ok"/> when there is no gap.</returns>
    /// <exception cref="InvalidOperationException">Kafka, the registry or the ERP cannot be read (the message says which).</exception>
    public static async Task<ReconciliationSummary> RunAsync(ReconciliationCheckOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new ReconcileSettings
        {
            Kafka = options.Kafka, Registry = options.Registry, ErpUrl = options.ErpUrl, ErpBearerToken = options.ErpBearerToken,
            Settle = options.Settle, Timeout = options.Timeout,
        };
        ReconciliationReport report;
        try
        {
            report = await ReconcileRunner.ReconcileAsync(settings, TextWriter.Null, cancellationToken).ConfigureAwait(false);
        }
        catch (ReconcileInputException e)
        {
            ReconcileMetrics.Failed();
            throw new InvalidOperationException(e.Message, e);
        }

        ReconcileMetrics.Record(report);
        var lines = new StringWriter();
        ReportWriter.WriteGaps(report, lines, max: 20);
        return new ReconciliationSummary(report.ExpectedPostings, report.PostingsInLedger, report.Gaps.Count, report.Rejected.Count, report.InFlight,
            report.Completeness, lines.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
