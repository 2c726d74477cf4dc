using MesErpStreams.SchemaRegistry.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.SchemaRegistry.Server;

/// <summary>
/// A Confluent-compatible schema registry on Kestrel for development and tests: the REST API clients use
/// (subjects, versions, ids, schema GUIDs, latest with metadata, compatibility, config with <c>defaultToGlobal</c>,
/// Confluent error bodies; the register response carries <c>id</c>, <c>version</c>, <c>guid</c> and <c>schema</c>),
/// the subject's compatibility level enforced on register (default BACKWARD), schemas stored in a compacted
/// single-partition topic in Confluent's key/value layout and read back on start. One instance per topic (it is the
/// only writer); Avro only, no authentication — production uses a real registry. Schema references and metadata are
/// refused with 42201 and rule sets with 42210, Confluent's codes. Confluent's own
/// <c>CachedSchemaRegistryClient</c> and Avro serdes are tested against it (tests/MesErpStreams.Conformance.Tests).
/// </summary>
public sealed class EmbeddedSchemaRegistry : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly KafkaSchemaLog log;
    private readonly RegistryService service;

    private EmbeddedSchemaRegistry(WebApplication app, KafkaSchemaLog log, RegistryService service, string url)
    {
        this.app = app;
        this.log = log;
        this.service = service;
        Url = url;
    }

    /// <summary>The bound base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    /// <summary>Reads the schemas topic to its end, then starts serving.</summary>
    /// <exception cref="ArgumentException">Invalid options (message names the setting).</exception>
    /// <exception cref="InvalidOperationException">The topic is missing and cannot be created, or has more than one partition.</exception>
    /// <exception cref="OperationCanceledException">Start took longer than <see cref="EmbeddedSchemaRegistryOptions.StartupTimeout"/>.</exception>
    public static async Task<EmbeddedSchemaRegistry> StartAsync(EmbeddedSchemaRegistryOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var store = new SchemaStore(options.DefaultCompatibility);
        var log = await KafkaSchemaLog.OpenAsync(options, store, cancellationToken);
        var service = new RegistryService(store, log);
        WebApplication? app = null;
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            // Hermetic: no appsettings.json from the working directory, no ASPNETCORE_* endpoints from the environment.
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls(options.Url);
            builder.Services.AddRoutingCore();
            builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
            app = builder.Build();
            app.Use(RegistryEndpoints.HandleErrorsAsync);
            RegistryEndpoints.Map(app, service);
            await app.StartAsync(cancellationToken);
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no bound address");
            return new EmbeddedSchemaRegistry(app, log, service, url.TrimEnd('/'));
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            service.Dispose();
            log.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        service.Dispose();
        log.Dispose();
    }
}
