using System.Net.Http.Headers;
using System.Text.Json;

namespace MesErpStreams.Harness;

/// <summary>The ERP simulator (<c>meserp erp-sim</c>) seen from a harness: readiness, document count, ledger rows.</summary>
public static class ErpLedger
{
    /// <summary>An HTTP client for the simulator at <paramref name="erpUrl"/>, with the API's bearer token when one is set.</summary>
    /// <param name="erpUrl">Base address, e.g. <c>http://127.0.0.1:8085/</c>.</param>
    /// <param name="token">Bearer token of the API (<c>MESERP_ERPSIM_TOKEN</c>), or null without auth.</param>
    /// <param name="timeout">Request timeout (reading a large ledger takes seconds).</param>
    public static HttpClient Client(Uri erpUrl, string? token = null, TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = erpUrl, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>Waits until <c>GET /health</c> answers 200.</summary>
    /// <param name="erpUrl">Base address of the simulator.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="logHint">Where to look when it does not come up (named in the exception).</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="InvalidOperationException">No answer within <paramref name="timeout"/>.</exception>
    public static async Task WaitUntilUpAsync(Uri erpUrl, TimeSpan timeout, string logHint, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = erpUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative), ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                // not listening yet, or too busy starting to answer within 2 s
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException($"the ERP simulator did not answer on {erpUrl} within {timeout.TotalSeconds:0} s (see {logHint})");
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>Documents in the ledger (<c>GET /health</c>, which needs no token).</summary>
    /// <param name="http">A client for the simulator.</param>
    /// <param name="ct">Cancels the request.</param>
    public static async Task<long> CountAsync(HttpClient http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        await using var body = await http.GetStreamAsync(new Uri("health", UriKind.Relative), ct);
        using var doc = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        return doc.RootElement.GetProperty("documents").GetInt64();
    }

    /// <summary>Every ledger row (<c>GET /api/erp/v1/ledger/entries</c>), in ledger order.</summary>
    /// <param name="http">A client for the simulator (with the API token when auth is on).</param>
    /// <param name="ct">Cancels the request.</param>
    public static async Task<IReadOnlyList<LedgerRow>> ReadAsync(HttpClient http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        await using var body = await http.GetStreamAsync(new Uri("api/erp/v1/ledger/entries", UriKind.Relative), ct);
        using var doc = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        return [.. doc.RootElement.EnumerateArray().Select(e => new LedgerRow(
            e.GetProperty("documentNumber").GetString()!, e.GetProperty("idempotencyKey").GetString()!, e.GetProperty("plant").GetString()!,
            e.GetProperty("sequenceKey").GetString()!, e.GetProperty("sequence").GetInt64(), e.GetProperty("postedAt").GetDateTimeOffset()))];
    }
}
