using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>One batch item's answer: a status and either the posting (200/201) or the error.</summary>
internal readonly record struct BatchItemResult(int Status, PostingResponse? Posting, ErrorResponse? Error);

/// <summary>
/// <c>POST /api/erp/v1/batch</c>: many postings in one request (OData 4.01 JSON batch shape, one change set per
/// document). Faults apply once to the whole request; the items are then checked, and their dependencies evaluated, in
/// request order inside ONE ledger transaction; every item is answered as its single endpoint would answer it.
/// </summary>
internal sealed class BatchEndpoint(ILedger ledger, FaultInjector faults, RequestJournal journal, ErpSimulatorOptions options, ILogger logger)
{
    public void Map(IEndpointRouteBuilder app) => app.MapPost(PostingRoutes.BatchPath, HandleAsync);

    private async Task HandleAsync(HttpContext ctx)
    {
        var start = Stopwatch.GetTimestamp();
        var ct = ctx.RequestAborted;
        var (decision, latency, snapshot) = faults.Decide();

        // Read even when a fault answers the request: the journal lists the postings a refused batch carried.
        var plan = await BatchPlan.ReadAsync(ctx.Request.Body, options.IdempotencyHeader, options.MaxBatchSize, ct);
        switch (decision)
        {
            case FaultDecision.OutageReset:
                RecordWholeRequest(plan, 0, start);
                ctx.Abort();
                return;
            case FaultDecision.Outage:
                await RefuseAsync(ctx, plan, start, 503, new ErrorResponse("outage", "the ERP system is not available"));
                return;
            case FaultDecision.Throttle:
                ctx.Response.Headers.RetryAfter = snapshot.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await RefuseAsync(ctx, plan, start, 429, new ErrorResponse("throttled", "too many requests"));
                return;
        }

        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, ct);
        }

        if (decision == FaultDecision.Error)
        {
            await RefuseAsync(ctx, plan, start, snapshot.ErrorStatusCode, new ErrorResponse("internal", "injected server error"));
            return;
        }

        if (decision == FaultDecision.Locked)
        {
            await RefuseAsync(ctx, plan, start, 423, Faults.Locked);
            return;
        }

        if (plan.Error is { } invalid)
        {
            await RefuseAsync(ctx, plan, start, 400, invalid);
            return;
        }

        var results = await RunAsync(plan.Items);
        var slow = faults.SlowResponseDelay();
        if (slow > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(slow, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                RecordWholeRequest(plan, 499, start); // the client gave up; the documents stay posted (as the single endpoint records it)
                return;
            }
        }

        var entries = new JournalEntry[results.Length];
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < results.Length; i++)
        {
            var item = plan.Items[i];
            entries[i] = new JournalEntry(now, item.JournalPath, KeyOrNull(item), results[i].Status);
            ErpSimulatorMetrics.RecordPosting(item.Route?.Endpoint ?? ErpSimulatorMetrics.BatchEndpoint, results[i].Status);
        }

        // Journal before answering, so a client that reads /admin/requests after the answer sees the batch.
        journal.AddRange(entries);
        ErpSimulatorMetrics.RecordBatch(results.Length, 200, start);
        await BatchResponseWriter.WriteAsync(ctx, plan.Items, results, ct);
    }

    /// <summary>Checks every item, then writes the valid ones in one ledger transaction, deciding dependencies in order.</summary>
    private async Task<BatchItemResult[]> RunAsync(IReadOnlyList<BatchItem> items)
    {
        var n = items.Count;
        var results = new BatchItemResult[n];
        var documents = new NewDocument?[n];
        var toWrite = 0;
        for (var i = 0; i < n; i++)
        {
            // Validation needs no ledger: done before the write lock is taken.
            var v = Validate(items[i]);
            if (v.Document is null)
            {
                results[i] = new BatchItemResult(v.Status, null, v.Error);
            }
            else
            {
                documents[i] = v.Document;
                toWrite++;
            }
        }

        // An item runs only when all it depends on succeeded, and an earlier item's fate may be known only after its
        // write (a 409), so dependencies are decided item by item inside the transaction.
        NewDocument? Next(int i, IReadOnlyList<LedgerWrite?> written)
        {
            foreach (var d in items[i].DependsOn)
            {
                var status = results[d].Status != 0 ? results[d].Status : written[d] is { } w ? StatusOf(w) : 0;
                if (status is < 200 or > 299)
                {
                    results[i] = new BatchItemResult(424, null, new ErrorResponse("failed_dependency", $"request {items[d].Id} did not succeed"));
                    return null;
                }
            }

            return documents[i];
        }

        IReadOnlyList<LedgerWrite?> writes;
        if (toWrite > 0)
        {
            writes = await ledger.PostBatchAsync(n, Next, CancellationToken.None); // once started, the write completes even if the client leaves
        }
        else
        {
            // Nothing to write (every item invalid): still turn the dependents of failed items into 424.
            writes = new LedgerWrite?[n];
            for (var i = 0; i < n; i++)
            {
                Next(i, writes);
            }
        }

        int posted = 0, duplicates = 0;
        for (var i = 0; i < n; i++)
        {
            if (results[i].Status != 0 || writes[i] is not { } w)
            {
                continue;
            }

            if (w.PayloadMismatch)
            {
                results[i] = new BatchItemResult(409, null, PostingEndpoints.KeyReuse(items[i].Key, options.IdempotencyHeader, w.Entry.DocumentNumber));
                continue;
            }

            results[i] = new BatchItemResult(StatusOf(w), PostingEndpoints.Response(w), null);
            if (w.Duplicate)
            {
                duplicates++;
                continue;
            }

            posted++;
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var e = w.Entry;
                logger.LogDebug("posted {DocumentType} {DocumentNumber} for {SequenceKey} #{Sequence} (batch)", e.DocumentType, e.DocumentNumber, e.SequenceKey, e.Sequence);
            }
        }

        // One line per batch (not per document as the single endpoint logs): a per-document line would cost more than the posting.
        logger.LogInformation("batch of {Count} postings: {Posted} posted, {Duplicates} duplicates, {Failed} not posted", n, posted, duplicates, n - posted - duplicates);
        return results;
    }

    /// <summary>What the single endpoint checks before the ledger, in its order: route, key, body, content.</summary>
    private PostingValidation.Result Validate(BatchItem item)
    {
        if (item.Route is null)
        {
            return new PostingValidation.Result(null, 404, new ErrorResponse("not_found", $"no posting endpoint at '{item.JournalPath}'", "url"));
        }

        if (!PostingEndpoints.IsValidKey(item.Key))
        {
            return new PostingValidation.Result(null, 400, PostingEndpoints.MissingKey(options.IdempotencyHeader));
        }

        return item.Body is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } body
            ? item.Route.Validate(body, item.Key)
            : new PostingValidation.Result(null, 400, PostingEndpoints.BodyRequired);
    }

    private static int StatusOf(LedgerWrite w) => w.PayloadMismatch ? 409 : w.Duplicate ? 200 : 201;

    private static string? KeyOrNull(BatchItem item) => item.Key.Length == 0 ? null : item.Key;

    /// <summary>Answers the whole request with one status; nothing was written. The journal gets one entry per item with that status.</summary>
    private async Task RefuseAsync(HttpContext ctx, BatchPlan plan, long start, int status, ErrorResponse error)
    {
        RecordWholeRequest(plan, status, start);
        await PostingEndpoints.WriteAsync(ctx, status, error);
    }

    private void RecordWholeRequest(BatchPlan plan, int status, long start)
    {
        var now = DateTimeOffset.UtcNow;
        if (plan.Items.Count == 0)
        {
            // Unreadable or empty batch: no postings to list, so one entry for the request itself.
            journal.Add(new JournalEntry(now, PostingRoutes.BatchPath, null, status));
        }
        else
        {
            journal.AddRange(plan.Items.Select(item => new JournalEntry(now, item.JournalPath, KeyOrNull(item), status)));
            foreach (var item in plan.Items)
            {
                ErpSimulatorMetrics.RecordPosting(item.Route?.Endpoint ?? ErpSimulatorMetrics.BatchEndpoint, status);
            }
        }

        ErpSimulatorMetrics.RecordBatch(plan.Items.Count, status, start);
    }
}
