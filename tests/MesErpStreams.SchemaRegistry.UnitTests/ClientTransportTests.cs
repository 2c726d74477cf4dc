using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.SchemaRegistry.UnitTests;

/// <summary>Retries, fail-over, auth and media type, against a scripted HTTP server.</summary>
public sealed class ClientTransportTests
{
    [Fact]
    public async Task Retries_503_and_429_then_succeeds()
    {
        await using var server = await ScriptedServer.StartAsync(503, 429, 200);
        using var client = new CachedSchemaRegistryClient(Options(server.Url, maxRetries: 3));
        (await client.GetSchemaAsync(5)).Should().Be("\"string\"");
        server.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task Does_not_retry_a_404()
    {
        await using var server = await ScriptedServer.StartAsync(404);
        using var client = new CachedSchemaRegistryClient(Options(server.Url, maxRetries: 3));
        var e = (await FluentActions.Awaiting(() => client.GetSchemaAsync(5)).Should().ThrowAsync<SchemaRegistryException>()).Which;
        e.ErrorCode.Should().Be(40403);
        server.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Gives_up_after_the_bounded_retries_and_says_so()
    {
        await using var server = await ScriptedServer.StartAsync(500, 500, 500, 500, 500);
        using var client = new CachedSchemaRegistryClient(Options(server.Url, maxRetries: 2));
        var e = (await FluentActions.Awaiting(() => client.GetSchemaAsync(5)).Should().ThrowAsync<SchemaRegistryException>()).Which;
        e.StatusCode.Should().Be(500);
        e.Message.Should().Contain("3 attempts");
        server.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task Fails_over_to_the_next_url_when_one_refuses_connections()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        using var client = new CachedSchemaRegistryClient(Options($"http://127.0.0.1:{UnusedPort()},{server.Url}", maxRetries: 0));
        (await client.GetSchemaAsync(5)).Should().Be("\"string\"");
    }

    [Fact]
    public async Task Unreachable_registry_is_reported_with_the_url()
    {
        var url = $"http://127.0.0.1:{UnusedPort()}";
        using var client = new CachedSchemaRegistryClient(Options(url, maxRetries: 1));
        var e = (await FluentActions.Awaiting(() => client.GetSchemaAsync(5)).Should().ThrowAsync<SchemaRegistryException>()).Which;
        e.StatusCode.Should().BeNull();
        e.Message.Should().Contain("unreachable").And.Contain(url);
    }

    [Fact]
    public async Task Sends_basic_auth_and_the_confluent_media_type_and_caches_by_id()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var options = Options(server.Url, maxRetries: 0);
        options.BasicAuthUserInfo = "svc-meserp:s3cret";
        using var client = new CachedSchemaRegistryClient(options);
        await client.GetSchemaAsync(5);
        await client.GetSchemaAsync(5);
        server.Requests.Should().ContainSingle();
        var r = server.Requests.Single();
        r.Authorization.Should().Be("Basic " + Convert.ToBase64String("svc-meserp:s3cret"u8.ToArray()));
        r.Accept.Should().Contain("application/vnd.schemaregistry.v1+json");
        r.Path.Should().Be("/schemas/ids/5");
    }

    [Fact]
    public void Invalid_options_name_the_setting()
    {
        FluentActions.Invoking(() => new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = "ftp://x" }))
            .Should().Throw<ArgumentException>().WithMessage("*Url*");
        FluentActions.Invoking(() => new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = "http://x", BasicAuthUserInfo = "nocolon" }))
            .Should().Throw<ArgumentException>().WithMessage("*BasicAuthUserInfo*");
        FluentActions.Invoking(() => new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = "http://x", SslCertificateLocation = "c.pem" }))
            .Should().Throw<ArgumentException>().WithMessage("*SslKeyLocation*");
    }

    private static SchemaRegistryClientOptions Options(string url, int maxRetries) => new()
    {
        Url = url,
        MaxRetries = maxRetries,
        RetryBackoff = TimeSpan.FromMilliseconds(5),
        MaxRetryBackoff = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private static int UnusedPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Answers requests with the scripted status codes in order (200 = a schema body).</summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly WebApplication app;

        private ScriptedServer(WebApplication app, string url)
        {
            this.app = app;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentQueue<(string Path, string? Authorization, string Accept)> Requests { get; } = new();

        public static async Task<ScriptedServer> StartAsync(params int[] statuses)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var script = new ConcurrentQueue<int>(statuses);
            ScriptedServer? self = null;
            app.Run(async context =>
            {
                self!.Requests.Enqueue((context.Request.Path, context.Request.Headers.Authorization.ToString(), context.Request.Headers.Accept.ToString()));
                var status = script.TryDequeue(out var s) ? s : 500;
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/vnd.schemaregistry.v1+json";
                await context.Response.WriteAsync(status == 200
                    ? """{"schema":"\"string\""}"""
                    : status == 404 ? """{"error_code":40403,"message":"Schema not found"}""" : $$"""{"error_code":{{status}}01,"message":"scripted {{status}}"}""");
            });
            await app.StartAsync();
            self = new ScriptedServer(app, app.Urls.First());
            return self;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
