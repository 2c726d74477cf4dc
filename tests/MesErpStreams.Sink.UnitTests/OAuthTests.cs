using System.Net;
using System.Text;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Sink.Erp;

namespace MesErpStreams.Sink.UnitTests;

public sealed class OAuthTests
{
    [Fact]
    public async Task Client_credentials_token_is_fetched_once_cached_and_sent_as_bearer()
    {
        var tokenCalls = 0;
        var seenAuth = new List<string?>();
        using var handler = new StubHandler(req =>
        {
            if (req.RequestUri!.AbsolutePath == "/oauth/token")
            {
                tokenCalls++;
                var form = req.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
                form.Should().Contain("grant_type=client_credentials").And.Contain("client_id=sink").And.Contain("client_secret=s3cret");
                return Json(HttpStatusCode.OK, """{"access_token":"abc","expires_in":3600}""");
            }

            seenAuth.Add(req.Headers.Authorization?.ToString());
            req.Headers.GetValues("Idempotency-Key").Should().ContainSingle();
            return Json(HttpStatusCode.Created, """{"documentNumber":"CF00000009","duplicate":false}""");
        });
        using var http = new HttpClient(handler);
        using var client = new HttpErpClient(new HttpErpClientOptions
        {
            BaseAddress = new Uri("http://erp.test/"),
            OAuthTokenEndpoint = new Uri("http://erp.test/oauth/token"),
            OAuthClientId = "sink",
            OAuthClientSecret = "s3cret",
        }, http);

        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsync(Command(i), CancellationToken.None)).Kind.Should().Be(ErpOutcomeKind.Posted);
        }

        tokenCalls.Should().Be(1);
        seenAuth.Should().AllBe("Bearer abc");
    }

    [Fact]
    public async Task The_erp_call_carries_a_child_span_of_the_commands_trace_and_none_without_one()
    {
        var seen = new List<string?>();
        using var handler = new StubHandler(req =>
        {
            seen.Add(req.Headers.TryGetValues("traceparent", out var v) ? v.Single() : null);
            return Json(HttpStatusCode.Created, """{"documentNumber":"CF00000010","duplicate":false}""");
        });
        using var http = new HttpClient(handler);
        using var client = new HttpErpClient(new HttpErpClientOptions { BaseAddress = new Uri("http://erp.test/") }, http);
        const string commandTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        await client.PostAsync(Command(1) with { Trace = new MesErpStreams.Contracts.Common.TraceContext { Traceparent = commandTrace } }, CancellationToken.None);
        await client.PostAsync(Command(1) with { Trace = new MesErpStreams.Contracts.Common.TraceContext { Traceparent = commandTrace } }, CancellationToken.None);
        await client.PostAsync(Command(2), CancellationToken.None);

        seen[0].Should().MatchRegex("^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$", "same trace id, a span of its own");
        seen[0].Should().NotBe(commandTrace);
        seen[1].Should().Be(seen[0], "a retried call is the same hop");
        seen[2].Should().BeNull("a command without trace context sends none");
    }

    [Fact]
    public void Oauth_endpoint_without_client_credentials_is_rejected_at_start()
    {
        var act = () => new HttpErpClient(new HttpErpClientOptions { BaseAddress = new Uri("http://erp.test/"), OAuthTokenEndpoint = new Uri("http://erp.test/t") });
        act.Should().Throw<ArgumentException>().WithMessage("*OAuthClientId*");
    }

    private static ErpPostingCommand Command(int i) => new()
    {
        IdempotencyKey = $"k{i}",
        CommandType = ErpCommandType.StockStatusChange,
        SourceEventIds = [Guid.NewGuid()],
        Plant = "P1",
        OrderKey = "M1/B1",
        CreatedAt = DateTimeOffset.UtcNow,
        StockStatusChange = new StockStatusChange { Action = StockStatusAction.Block, Material = "M1", Batch = "B1", Plant = "P1", HoldId = "H1" },
    };

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(respond(request));
    }
}
