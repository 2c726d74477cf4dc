using System.Diagnostics.Metrics;

namespace MesErpStreams.Observability.UnitTests;

/// <summary>
/// A <see cref="MetricsEndpoint"/> on an ephemeral loopback port exporting only one test meter (unique name, so tests
/// in parallel see only their own series), scraped over real HTTP.
/// </summary>
internal sealed class ScrapeClient : IAsyncDisposable
{
    private readonly MetricsEndpointHandle _endpoint;
    private readonly HttpClient _http = new();

    private ScrapeClient(Meter meter, MetricsEndpointHandle endpoint)
    {
        Meter = meter;
        _endpoint = endpoint;
    }

    public Meter Meter { get; }

    public static async Task<ScrapeClient> StartAsync(Action<PrometheusExportOptions>? configure = null)
    {
        var meter = new Meter("MesErpStreams.Test." + Guid.NewGuid().ToString("N"));
        var options = new MetricsEndpointOptions { Port = 0 };
        options.Prometheus.MeterPrefixes.Clear();
        options.Prometheus.MeterPrefixes.Add(meter.Name);
        configure?.Invoke(options.Prometheus);
        return new ScrapeClient(meter, await MetricsEndpoint.StartAsync(options));
    }

    /// <summary>prometheus-net's meter adapter name: meter and instrument joined by '_', lower case, others '_'.</summary>
    public static string PrometheusName(string meter, string instrument) =>
        new((meter + "_" + instrument).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());

    public string Name(string instrument) => PrometheusName(Meter.Name, instrument);

    public Task<string> ScrapeAsync() => _http.GetStringAsync(_endpoint.MetricsUrl);

    /// <summary>Sample lines (no comments) of the family <paramref name="family"/> (its _bucket/_sum/_count included).</summary>
    public async Task<IReadOnlyList<string>> SamplesAsync(string family) =>
        (await ScrapeAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => new[] { family, family + "_bucket", family + "_sum", family + "_count" }
                .Any(f => l.StartsWith(f, StringComparison.Ordinal) && l.Length > f.Length && l[f.Length] is '{' or ' '))
            .ToList();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _endpoint.DisposeAsync();
        Meter.Dispose();
    }
}
