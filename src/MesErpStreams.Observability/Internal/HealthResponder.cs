using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MesErpStreams.Observability.Internal;

/// <summary>Runs the readiness checks with a shared timeout and writes a JSON report (200 ready, 503 not ready).</summary>
internal sealed class HealthResponder(ConcurrentDictionary<string, IReadinessCheck> checks, TimeSpan timeout)
{
    public async Task RespondAsync(HttpContext ctx)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        cts.CancelAfter(timeout);
        var snapshot = checks.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var results = await Task.WhenAll(snapshot.Select(c => RunAsync(c, cts.Token))).ConfigureAwait(false);
        var ready = results.All(r => r.IsReady);

        ctx.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", ready ? "ready" : "not_ready");
            json.WriteStartArray("checks");
            for (var i = 0; i < snapshot.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("name", snapshot[i].Name);
                json.WriteBoolean("ready", results[i].IsReady);
                if (results[i].Detail is { } detail)
                {
                    json.WriteString("detail", detail);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await ctx.Response.Body.WriteAsync(buffer.ToArray(), ctx.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<ReadinessResult> RunAsync(IReadinessCheck check, CancellationToken ct)
    {
        try
        {
            return await check.CheckAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ReadinessResult.NotReady("check timed out");
        }
#pragma warning disable CA1031 // a failing check is reported as not ready with its error, never hidden
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ReadinessResult.NotReady($"check failed: {e.GetType().Name}: {e.Message}");
        }
    }
}
