using MesErpStreams.Observability.UnitTests;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Observability.IntegrationTests;

/// <summary>
/// A workload exposing /metrics (every real instrument recorded continuously, served by <see cref="MetricsEndpoint"/>,
/// and a real Streamiz instance committing, for the engine instruments bridged from Streamiz's sensors)
/// and a real Prometheus scraping it with the alert rules loaded; ready after several scrapes so rates have data.
/// Set MESERP_VERIFY_TARGET (e.g. http://127.0.0.1:9464/) to scrape a running `meserp run --metrics-port` instead.
/// </summary>
public sealed class VerificationFixture : IAsyncLifetime
{
    public const string Job = "meserp-verify";
    private readonly CancellationTokenSource _stop = new();
    private RealInstruments? _instruments;
    private StreamizWorkload? _streamiz;
    private MetricsEndpointHandle? _endpoint;
    private Task _load = Task.CompletedTask;

    internal PrometheusServer Prometheus { get; private set; } = null!;

    internal HttpClient Http { get; private set; } = null!;

    internal MonitoringVerifier Verifier { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Uri target;
        if (Environment.GetEnvironmentVariable("MESERP_VERIFY_TARGET") is { Length: > 0 } external)
        {
            target = new Uri(external);
        }
        else
        {
            _endpoint = await MetricsEndpoint.StartAsync(new MetricsEndpointOptions { Port = 0 });
            _instruments = await RealInstruments.StartAsync();
            _streamiz = await StreamizWorkload.StartAsync();
            _load = RecordContinuouslyAsync(_instruments, _streamiz, _stop.Token);
            target = _endpoint.Url;
        }

        Prometheus = await PrometheusServer.StartAsync(Job, target, [MonitoringAssets.AlertsFile]);
        Http = new HttpClient { BaseAddress = Prometheus.Url, Timeout = TimeSpan.FromSeconds(10) };
        Verifier = new MonitoringVerifier(Http);
        await Eventually.TrueAsync(
            async () => (await Verifier.QueryAsync($"count_over_time(up{{job=\"{Job}\"}}[1m]) >= 4 and up{{job=\"{Job}\"}} == 1")).Count == 1,
            TimeSpan.FromSeconds(60), "four successful scrapes of the workload\n" + Prometheus.Log, TimeSpan.FromMilliseconds(250));
        if (_streamiz is not null)
        {
            // Commit latency has a value once the instance has committed; rates need two samples.
            await Eventually.TrueAsync(
                async () => (await Verifier.QueryAsync("count_over_time(meserpstreams_streams_meserp_streams_commit_latency{stat=\"max\"}[1m]) >= 2")).Count > 0,
                TimeSpan.FromSeconds(60), "two scrapes of the Streamiz workload's commits\n" + Prometheus.Log, TimeSpan.FromMilliseconds(250));
        }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _load;
        Http?.Dispose();
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }

        if (_instruments is not null)
        {
            await _instruments.DisposeAsync();
        }

        if (_streamiz is not null)
        {
            await _streamiz.DisposeAsync();
        }

        _stop.Dispose();
    }

    private static async Task RecordContinuouslyAsync(RealInstruments instruments, StreamizWorkload streamiz, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                instruments.RecordAll();
                await streamiz.FeedAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopped by DisposeAsync
        }
    }
}
