using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Reads the ERP ledger through <c>GET /api/erp/v1/ledger/entries</c> (the ERP simulator's ledger API).</summary>
internal sealed class ErpLedgerClient(HttpClient http)
{
    public static HttpClient CreateHttp(Uri baseAddress, string? bearerToken, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        if (!string.IsNullOrEmpty(bearerToken))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return http;
    }

    public async Task<List<LedgerDocument>> EntriesAsync(string? plant, CancellationToken ct)
    {
        var path = "api/erp/v1/ledger/entries" + (plant is null ? string.Empty : "?plant=" + Uri.EscapeDataString(plant));
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new ReconcileInputException($"--erp-url: the ERP ledger API at {http.BaseAddress} is not reachable: {e.Message}", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ReconcileInputException($"--erp-url: GET {http.BaseAddress}{path} answered {(int)response.StatusCode} {response.ReasonPhrase}"
                                                  + (response.StatusCode == System.Net.HttpStatusCode.Unauthorized ? " (set the bearer token in MESERP_RECONCILE_ERP_TOKEN)" : string.Empty));
            }

            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var doc = await JsonDocument.ParseAsync(body, cancellationToken: ct);
            return [.. doc.RootElement.EnumerateArray().Select(Parse)];
        }
    }

    internal static LedgerDocument Parse(JsonElement e) => new(
        e.GetProperty("documentNumber").GetString()!,
        e.GetProperty("idempotencyKey").GetString()!,
        e.GetProperty("documentType").GetString()!,
        e.GetProperty("plant").GetString()!,
        Str(e, "orderNumber"),
        Str(e, "material"),
        Str(e, "batch"),
        Str(e, "movementType"),
        e.GetProperty("quantity").GetDecimal(),
        e.TryGetProperty("scrapQuantity", out var s) ? s.GetDecimal() : 0m,
        Str(e, "unit"),
        DateTimeOffset.Parse(e.GetProperty("postedAt").GetString()!, CultureInfo.InvariantCulture));

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
