using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.ErpSimulator.IntegrationTests;

/// <summary>Starts a simulator on a free port with a fresh ledger file; disposes both.</summary>
internal sealed class Simulator : IAsyncDisposable
{
    public const string BatchPath = "api/erp/v1/batch";

    private readonly string _dir;

    private Simulator(ErpSimulatorHost host, string dir, string? token)
    {
        Host = host;
        _dir = dir;
        Http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        if (token is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
    }

    public ErpSimulatorHost Host { get; }

    public HttpClient Http { get; }

    public static async Task<Simulator> StartAsync(Action<ErpSimulatorOptions>? configure = null, string? clientToken = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "erpsim-" + Guid.NewGuid().ToString("N"));
        var o = new ErpSimulatorOptions { Port = 0, LedgerPath = Path.Combine(dir, "ledger.db") };
        configure?.Invoke(o);
        var host = await ErpSimulatorHost.StartAsync(o, l => l.SetMinimumLevel(LogLevel.Warning));
        return new Simulator(host, dir, clientToken);
    }

    public static object Confirmation(string order, decimal yield, string plant = "P100") => new
    {
        plant, orderNumber = order, operation = "0010", workCenter = "WC1", yieldQuantity = yield, scrapQuantity = 0m, unit = "PC",
        finalConfirmation = false,
    };

    public static object GoodsMovement(string order, string material, decimal quantity, string movementType = "261") => new
    {
        plant = "P100", movementType, material, orderNumber = order, quantity, unit = "KG",
    };

    public static object StockStatusChange(string material, string batch, string action = "BLOCK") => new { plant = "P100", material, batch, action };

    /// <summary>One item of a batch request; <paramref name="key"/> null leaves the idempotency header out.</summary>
    public static object Item(string id, string url, string? key, object body, params string[] dependsOn) => new
    {
        id, method = "POST", url,
        headers = key is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Idempotency-Key"] = key },
        dependsOn, body,
    };

    public Task<HttpResponseMessage> PostBatchAsync(params object[] items) => Http.PostAsJsonAsync(BatchPath, new { requests = items });

    public Task<HttpResponseMessage> PostRawBatchAsync(string json) =>
        Http.PostAsync(BatchPath, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>The <c>responses</c> of a 200 batch answer (asserts the 200).</summary>
    public static async Task<JsonElement[]> ResponsesAsync(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("responses").EnumerateArray()];
    }

    public async Task<List<string>> LedgerKeysAsync() =>
        [.. (await GetJsonAsync("api/erp/v1/ledger/entries")).EnumerateArray().Select(e => e.GetProperty("idempotencyKey").GetString()!)];

    public async Task<HttpResponseMessage> PostAsync(string path, object body, string? key)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            req.Headers.Add("Idempotency-Key", key);
        }

        return await Http.SendAsync(req);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    public async Task<JsonElement> GetJsonAsync(string path) => JsonDocument.Parse(await Http.GetStringAsync(path)).RootElement;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp dir left behind is harmless
        }
    }
}
