using MesErpStreams.ErpSimulator.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.ErpSimulator;

/// <summary>
/// A running ERP simulator (Kestrel). API (all JSON; the idempotency key travels in the
/// <see cref="ErpSimulatorOptions.IdempotencyHeader"/> header):
/// <list type="bullet">
/// <item><c>POST /api/erp/v1/production-order-confirmations</c>, <c>/goods-movements</c>, <c>/stock-status-changes</c>:
/// 201 with the new document; 200 with <c>"duplicate": true</c> (and header <c>X-Erp-Duplicate: true</c>) and the
/// original document when the key was posted before with the same content; 409 when the key was used for a different
/// posting; 400 (malformed / missing field or key) and 422 (business validation) with <c>{error, message, field}</c>;
/// injected 429 (Retry-After), 5xx, outages and slow answers.</item>
/// <item><c>POST /api/erp/v1/batch</c>: up to <see cref="ErpSimulatorOptions.MaxBatchSize"/> postings in one request,
/// <c>{"requests":[{"id","method":"POST","url","headers":{"Idempotency-Key":…},"dependsOn":[ids],"body":{…}}]}</c>; 200 with
/// <c>{"responses":[{"id","status","body"}]}</c>, one per posting in request order, each answered as its single endpoint would
/// answer it (424 <c>failed_dependency</c> when an item it depends on did not succeed, 404 for an unknown <c>url</c>). All
/// documents of a batch are written in one ledger transaction. 400 for the whole batch when it is malformed, empty, too
/// large, has a missing or repeated id, a method other than POST or a <c>dependsOn</c> not naming an earlier item;
/// faults apply once per batch request.</item>
/// <item><c>GET /api/erp/v1/ledger/entries?idempotencyKey=|sequenceKey=&amp;plant=</c>, <c>GET /api/erp/v1/ledger/orders/{order}</c>
/// (in posting sequence), <c>GET /api/erp/v1/ledger/totals?plant=</c>.</item>
/// <item><c>GET|PUT /admin/faults</c>, <c>GET|DELETE /admin/requests</c> (request journal),
/// <c>DELETE /admin/ledger/entries?idempotencyKey=</c> (removes one document to simulate a lost posting: 200 with the removed
/// entry, 404 when absent, 400 without a key); <c>GET /health</c>.</item>
/// </list>
/// </summary>
public sealed class ErpSimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ILedger _ledger;
    private readonly FaultInjector _faults;

    private ErpSimulatorHost(WebApplication app, ILedger ledger, FaultInjector faults, Uri baseAddress)
    {
        _app = app;
        _ledger = ledger;
        _faults = faults;
        BaseAddress = baseAddress;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:8085/</c> (the real port when 0 was asked for).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The fault settings in force; assign to change them at run time (same as <c>PUT /admin/faults</c>).</summary>
    public FaultOptions Faults
    {
        get => _faults.Current;
        set => _faults.Set(value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Opens the ledger and starts listening (console logging).</summary>
    /// <param name="options">Validated here.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static Task<ErpSimulatorHost> StartAsync(ErpSimulatorOptions options, CancellationToken ct = default) => StartAsync(options, null, ct);

    /// <summary>Opens the ledger and starts listening.</summary>
    /// <param name="options">Validated here.</param>
    /// <param name="configureLogging">Optional logging setup (defaults: console, Information; ASP.NET Core at Warning).</param>
    /// <param name="ct">Cancels the start.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static async Task<ErpSimulatorHost> StartAsync(ErpSimulatorOptions options, Action<ILoggingBuilder>? configureLogging, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var ledger = new SqliteLedger(options.LedgerPath);
        await ledger.InitializeAsync(ct);
        var faults = new FaultInjector(options.Faults, TimeProvider.System);
        var journal = new RequestJournal();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        var app = builder.Build();
        try
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MesErpStreams.ErpSimulator");
            QueryEndpoints.UseBearerAuth(app, options);
            new PostingEndpoints(ledger, faults, journal, options, logger).Map(app);
            new BatchEndpoint(ledger, faults, journal, options, logger).Map(app);
            QueryEndpoints.Map(app, ledger, faults, journal);
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            logger.LogInformation("ERP simulator listening on {Address}, ledger {Ledger}, auth {Auth}", address, options.LedgerPath,
                options.BearerToken is { Length: > 0 } ? "bearer" : "off");
            return new ErpSimulatorHost(app, ledger, faults, new Uri(address.EndsWith('/') ? address : address + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            await ledger.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops listening and closes the ledger.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        await _ledger.DisposeAsync();
    }
}
