using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.ErpSimulator.IntegrationTests;

/// <summary>Starts a simulator on a free port with a fresh ledger file; disposes both.</summary>
internal sealed class Simulator : IAsyncDisposable
{
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
