using System.Collections.Concurrent;
using System.Net;
using MesErpStreams.Observability.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace MesErpStreams.Observability;

/// <summary>
/// A small Kestrel host serving <c>GET /metrics</c> (every <c>MesErpStreams.*</c> meter, exported by prometheus-net's
/// meter adapter and middleware; see <see cref="PrometheusExportOptions"/> for names, buckets and series lifetime),
/// <c>GET /health/live</c> (200 while the process runs) and <c>GET /health/ready</c> (200 when every registered <see cref="IReadinessCheck"/> holds, else 503,
/// with a JSON report either way).
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>Starts the endpoint. Start it before the components, so counters are seen from their first increment.</summary>
    /// <param name="options">Bind address, port, export options.</param>
    /// <param name="readinessChecks">Initial readiness checks (more can be added on the handle). None: always ready.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running endpoint with its bound URL; dispose it to stop.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="IOException">The address or port cannot be bound.</exception>
    public static async Task<MetricsEndpointHandle> StartAsync(
        MetricsEndpointOptions options, IEnumerable<IReadinessCheck>? readinessChecks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var checks = new ConcurrentDictionary<string, IReadinessCheck>(StringComparer.Ordinal);
        foreach (var check in readinessChecks ?? [])
        {
            checks[check.Name] = check;
        }

        var export = new MeterExport(options.Prometheus);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "meserp-metrics" });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(options.Host), options.Port));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var health = new HealthResponder(checks, options.ReadinessTimeout);
        // prometheus-net's middleware serves the registry (text format 0.0.4, or OpenMetrics when the scraper asks
        // for it in Accept); every other path is ours.
        app.UseMetricServer(settings => settings.Registry = export.Registry, "/metrics");
        app.Run(ctx => HandleAsync(ctx, health));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            export.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address");
        return new MetricsEndpointHandle(new Uri(address.TrimEnd('/') + "/"), checks, async () =>
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            export.Dispose();
        });
    }

    private static Task HandleAsync(HttpContext ctx, HealthResponder health)
    {
        var path = ctx.Request.Path.Value?.TrimEnd('/') ?? string.Empty;
        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
        {
            ctx.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        switch (path)
        {
            case "/health/live":
                ctx.Response.ContentType = "application/json";
                return ctx.Response.WriteAsync("{\"status\":\"live\"}", ctx.RequestAborted);
            case "/health/ready":
                return health.RespondAsync(ctx);
            default:
                ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
        }
    }
}
