using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>The posting endpoints: faults, validation, idempotent ledger write, slow responses.</summary>
internal sealed class PostingEndpoints(ILedger ledger, FaultInjector faults, RequestJournal journal, ErpSimulatorOptions options, ILogger logger)
{
    public const string DuplicateHeader = "X-Erp-Duplicate";

    public void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/erp/v1");
        api.MapPost("/production-order-confirmations", ctx => HandleAsync(ctx, ErpJsonContext.Default.ProductionOrderConfirmationRequest, PostingValidation.Confirmation));
        api.MapPost("/goods-movements", ctx => HandleAsync(ctx, ErpJsonContext.Default.GoodsMovementRequest, PostingValidation.GoodsMovement));
        api.MapPost("/stock-status-changes", ctx => HandleAsync(ctx, ErpJsonContext.Default.StockStatusChangeRequest, PostingValidation.StockStatusChange));
    }

    private async Task HandleAsync<T>(HttpContext ctx, JsonTypeInfo<T> typeInfo, Func<T, string, string, PostingValidation.Result> validate)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var key = ctx.Request.Headers[options.IdempotencyHeader].ToString();
        var status = await HandleCoreAsync(ctx, key, typeInfo, validate);
        ErpSimulatorMetrics.Record(EndpointName(ctx.Request.Path), status, start);
        journal.Add(new JournalEntry(DateTimeOffset.UtcNow, ctx.Request.Path, key.Length == 0 ? null : key, status));
    }

    private async Task<int> HandleCoreAsync<T>(HttpContext ctx, string key, JsonTypeInfo<T> typeInfo, Func<T, string, string, PostingValidation.Result> validate)
    {
        var ct = ctx.RequestAborted;
        var (decision, latency, snapshot) = faults.Decide();
        switch (decision)
        {
            case FaultDecision.OutageReset:
                ctx.Abort();
                return 0;
            case FaultDecision.Outage:
                return await WriteAsync(ctx, 503, new ErrorResponse("outage", "the ERP system is not available"));
            case FaultDecision.Throttle:
                ctx.Response.Headers.RetryAfter = snapshot.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return await WriteAsync(ctx, 429, new ErrorResponse("throttled", "too many requests"));
        }

        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, ct);
        }

        if (decision == FaultDecision.Error)
        {
            return await WriteAsync(ctx, snapshot.ErrorStatusCode, new ErrorResponse("internal", "injected server error"));
        }

        if (decision == FaultDecision.Locked)
        {
            return await WriteAsync(ctx, 423, Faults.Locked);
        }

        if (!IsValidKey(key))
        {
            return await WriteAsync(ctx, 400, MissingKey(options.IdempotencyHeader));
        }

        string payload;
        T? body;
        try
        {
            using var reader = new StreamReader(ctx.Request.Body);
            payload = await reader.ReadToEndAsync(ct);
            body = JsonSerializer.Deserialize(payload, typeInfo);
        }
        catch (JsonException e)
        {
            return await WriteAsync(ctx, 400, MalformedJson(e));
        }

        if (body is null)
        {
            return await WriteAsync(ctx, 400, BodyRequired);
        }

        var v = validate(body, key, payload);
        if (v.Document is null)
        {
            return await WriteAsync(ctx, v.Status, v.Error!);
        }

        var w = await ledger.PostAsync(v.Document, CancellationToken.None); // once started, the write completes even if the client leaves
        var e2 = w.Entry;
        if (w.PayloadMismatch)
        {
            return await WriteAsync(ctx, 409, KeyReuse(key, options.IdempotencyHeader, e2.DocumentNumber));
        }

        if (!w.Duplicate)
        {
            logger.LogInformation("posted {DocumentType} {DocumentNumber} for {SequenceKey} #{Sequence}", e2.DocumentType, e2.DocumentNumber, e2.SequenceKey, e2.Sequence);
        }

        var slow = faults.SlowResponseDelay();
        if (slow > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(slow, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 499; // the client gave up; the document stays posted
            }
        }

        if (w.Duplicate)
        {
            ctx.Response.Headers[DuplicateHeader] = "true";
        }

        return await WriteAsync(ctx, w.Duplicate ? 200 : 201, Response(w), ErpJsonContext.Default.PostingResponse);
    }

    /// <summary>Error of a request without a usable idempotency key (single endpoint and batch item).</summary>
    internal static ErrorResponse MissingKey(string header) => new("validation", $"header '{header}' is required (1..200 characters)", header);

    /// <summary>Error of a key already used for a different posting (409).</summary>
    internal static ErrorResponse KeyReuse(string key, string header, string documentNumber) =>
        new("idempotency_key_reuse", $"idempotency key '{key}' was used for a different posting (document {documentNumber})", header, documentNumber);

    internal static ErrorResponse MalformedJson(JsonException e) => new("validation", $"malformed JSON: {e.Message}");

    internal static readonly ErrorResponse BodyRequired = new("validation", "a JSON body is required");

    internal static bool IsValidKey(string key) => key.Length is > 0 and <= 200;

    /// <summary>The answer to a write that was not a payload mismatch: the new or, when duplicate, the original document.</summary>
    internal static PostingResponse Response(LedgerWrite w)
    {
        var e = w.Entry;
        return new PostingResponse(e.DocumentNumber, e.IdempotencyKey, e.DocumentType, w.Duplicate, e.PostedAt, e.SequenceKey, e.Sequence);
    }

    private static string EndpointName(PathString path)
    {
        var p = path.Value ?? string.Empty;
        return p[(p.LastIndexOf('/') + 1)..];
    }

    internal static Task<int> WriteAsync(HttpContext ctx, int status, ErrorResponse error) =>
        WriteAsync(ctx, status, error, ErpJsonContext.Default.ErrorResponse);

    internal static async Task<int> WriteAsync<TBody>(HttpContext ctx, int status, TBody body, JsonTypeInfo<TBody> typeInfo)
    {
        ctx.Response.StatusCode = status;
        await ctx.Response.WriteAsJsonAsync(body, typeInfo, contentType: null, ctx.RequestAborted);
        return status;
    }
}
