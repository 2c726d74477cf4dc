using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>Ledger queries, admin endpoints (faults, journal, ledger delete), health and bearer auth.</summary>
internal static class QueryEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ILedger ledger, FaultInjector faults, RequestJournal journal)
    {
        app.MapGet("/health", async (HttpContext ctx) =>
        {
            await PostingEndpoints.WriteAsync(ctx, 200, new HealthResponse("ok", await ledger.CountAsync(ctx.RequestAborted)), ErpJsonContext.Default.HealthResponse);
        });

        var ledgerApi = app.MapGroup("/api/erp/v1/ledger");
        ledgerApi.MapGet("/entries", async (HttpContext ctx) =>
        {
            var q = ctx.Request.Query;
            string? key = q["idempotencyKey"], plant = q["plant"], seq = q["sequenceKey"];
            List<LedgerEntry> list;
            if (!string.IsNullOrEmpty(key))
            {
                var e = await ledger.FindByKeyAsync(key, ctx.RequestAborted);
                list = e is null || (plant is { Length: > 0 } && e.Plant != plant) ? [] : [e];
            }
            else if (!string.IsNullOrEmpty(seq))
            {
                list = [.. await ledger.BySequenceKeyAsync(seq, NullIfEmpty(plant), ctx.RequestAborted)];
            }
            else
            {
                list = [.. await ledger.AllAsync(NullIfEmpty(plant), ctx.RequestAborted)];
            }

            await PostingEndpoints.WriteAsync(ctx, 200, list, ErpJsonContext.Default.ListLedgerEntry);
        });
        ledgerApi.MapGet("/orders/{orderNumber}", async (HttpContext ctx, string orderNumber) =>
        {
            List<LedgerEntry> list = [.. await ledger.BySequenceKeyAsync(orderNumber, NullIfEmpty(ctx.Request.Query["plant"]), ctx.RequestAborted)];
            await PostingEndpoints.WriteAsync(ctx, 200, list, ErpJsonContext.Default.ListLedgerEntry);
        });
        ledgerApi.MapGet("/totals", async (HttpContext ctx) =>
        {
            List<LedgerTotal> list = [.. await ledger.TotalsAsync(NullIfEmpty(ctx.Request.Query["plant"]), ctx.RequestAborted)];
            await PostingEndpoints.WriteAsync(ctx, 200, list, ErpJsonContext.Default.ListLedgerTotal);
        });

        var admin = app.MapGroup("/admin");
        admin.MapGet("/faults", async (HttpContext ctx) => { await PostingEndpoints.WriteAsync(ctx, 200, faults.Current, ErpJsonContext.Default.FaultOptions); });
        admin.MapPut("/faults", async (HttpContext ctx) =>
        {
            await PutFaultsAsync(ctx, faults);
        });
        static async Task<int> PutFaultsAsync(HttpContext ctx, FaultInjector faults)
        {
            FaultOptions? o;
            try
            {
                o = await JsonSerializer.DeserializeAsync(ctx.Request.Body, ErpJsonContext.Default.FaultOptions, ctx.RequestAborted);
                if (o is null)
                {
                    return await PostingEndpoints.WriteAsync(ctx, 400, new ErrorResponse("validation", "a JSON body is required"));
                }

                faults.Set(o);
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                return await PostingEndpoints.WriteAsync(ctx, 400, new ErrorResponse("validation", e.Message));
            }

            return await PostingEndpoints.WriteAsync(ctx, 200, faults.Current, ErpJsonContext.Default.FaultOptions);
        }

        admin.MapGet("/requests", async (HttpContext ctx) => { await PostingEndpoints.WriteAsync(ctx, 200, journal.Snapshot(), ErpJsonContext.Default.ListJournalEntry); });
        admin.MapDelete("/requests", () =>
        {
            journal.Clear();
            return Results.NoContent();
        });
        admin.MapDelete("/ledger/entries", async (HttpContext ctx) =>
        {
            string? key = ctx.Request.Query["idempotencyKey"];
            if (string.IsNullOrEmpty(key))
            {
                await PostingEndpoints.WriteAsync(ctx, 400, new ErrorResponse("validation", "query parameter 'idempotencyKey' is required", "idempotencyKey"));
                return;
            }

            // Simulates a lost posting (reconciliation must find it): answers with the document that was removed.
            var entry = await ledger.FindByKeyAsync(key, ctx.RequestAborted);
            if (entry is null || !await ledger.DeleteAsync(key, ctx.RequestAborted))
            {
                await PostingEndpoints.WriteAsync(ctx, 404, new ErrorResponse("not_found", $"no ledger entry with idempotency key '{key}'", "idempotencyKey"));
                return;
            }

            await PostingEndpoints.WriteAsync(ctx, 200, entry, ErpJsonContext.Default.LedgerEntry);
        });
    }

    /// <summary>Bearer auth: <c>/health</c> is open, <c>/admin</c> takes the admin token, the rest the API token.</summary>
    public static void UseBearerAuth(IApplicationBuilder app, ErpSimulatorOptions options)
    {
        var api = options.BearerToken is { Length: > 0 } t ? Encoding.UTF8.GetBytes(t) : null;
        var adminToken = options.AdminToken is { Length: > 0 } a ? Encoding.UTF8.GetBytes(a) : api;
        app.Use(async (ctx, next) =>
        {
            var path = ctx.Request.Path;
            var required = path.StartsWithSegments("/health") ? null : path.StartsWithSegments("/admin") ? adminToken : api;
            if (required is not null && !Matches(ctx.Request.Headers.Authorization.ToString(), required))
            {
                ctx.Response.Headers.WWWAuthenticate = "Bearer";
                await PostingEndpoints.WriteAsync(ctx, 401, new ErrorResponse("unauthorized", "a valid bearer token is required"));
                return;
            }

            await next(ctx);
        });
    }

    private static bool Matches(string header, byte[] token)
    {
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim()), token);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
