using System.Diagnostics.Metrics;
using System.Net;

namespace MesErpStreams.Observability.UnitTests;

public sealed class EndpointTests
{
    private static MetricsEndpointOptions Ephemeral() => new() { Port = 0 };

    [Fact]
    public async Task Metrics_are_served_with_the_prometheus_content_type_on_loopback()
    {
        var meterName = "MesErpStreams.Test.Endpoint." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        await using var endpoint = await MetricsEndpoint.StartAsync(Ephemeral());
        meter.CreateCounter<long>("meserp.test.endpoint_hits", "{hit}", "Hits").Add(7);
        using var http = new HttpClient();

        using var response = await http.GetAsync(endpoint.MetricsUrl);

        endpoint.Url.Host.Should().Be("127.0.0.1");
        endpoint.Url.Port.Should().BeGreaterThan(0);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().Be("text/plain; version=0.0.4; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).Should().Contain(ScrapeClient.PrometheusName(meterName, "meserp.test.endpoint_hits") + " 7");
    }

    [Fact]
    public async Task Readiness_is_503_until_every_check_holds_and_liveness_is_always_200()
    {
        var restored = new ReadinessCheck("partitions restored", "0 of 3 partitions");
        var tables = ReadinessCheck.From("tables bootstrapped", () => true);
        await using var endpoint = await MetricsEndpoint.StartAsync(Ephemeral(), [restored, tables]);
        using var http = new HttpClient { BaseAddress = endpoint.Url };

        using (var notReady = await http.GetAsync("health/ready"))
        {
            notReady.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            var body = await notReady.Content.ReadAsStringAsync();
            body.Should().Contain("\"status\":\"not_ready\"").And.Contain("\"name\":\"partitions restored\",\"ready\":false,\"detail\":\"0 of 3 partitions\"");
        }

        (await http.GetAsync("health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        restored.SetReady();
        using var ready = await http.GetAsync("health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).Should().StartWith("{\"status\":\"ready\"");
    }

    [Fact]
    public async Task A_check_added_later_failing_or_hanging_makes_the_process_not_ready()
    {
        await using var endpoint = await MetricsEndpoint.StartAsync(new MetricsEndpointOptions { Port = 0, ReadinessTimeout = TimeSpan.FromMilliseconds(300) });
        using var http = new HttpClient { BaseAddress = endpoint.Url };
        (await http.GetAsync("health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);

        endpoint.AddReadinessCheck(ReadinessCheck.From("ERP reachable", async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return ReadinessResult.Ready;
        }));
        endpoint.AddReadinessCheck(ReadinessCheck.From("broken", (Func<bool>)(() => throw new InvalidOperationException("boom"))));

        using var response = await http.GetAsync("health/ready");
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("check timed out").And.Contain("InvalidOperationException: boom");
        endpoint.RemoveReadinessCheck("broken").Should().BeTrue();
    }

    [Fact]
    public async Task Unknown_paths_are_404()
    {
        await using var endpoint = await MetricsEndpoint.StartAsync(Ephemeral());
        using var http = new HttpClient { BaseAddress = endpoint.Url };
        (await http.GetAsync("nope")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("localhost", 9464, "--metrics-host")]
    [InlineData("127.0.0.1", 70000, "--metrics-port")]
    public async Task Bad_options_are_rejected_naming_the_option(string host, int port, string option)
    {
        var act = () => MetricsEndpoint.StartAsync(new MetricsEndpointOptions { Host = host, Port = port });
        await act.Should().ThrowAsync<ArgumentException>().WithMessage($"*{option}*");
    }

    [Fact]
    public async Task A_port_in_use_fails_the_start()
    {
        await using var first = await MetricsEndpoint.StartAsync(Ephemeral());
        var act = () => MetricsEndpoint.StartAsync(new MetricsEndpointOptions { Port = first.Url.Port });
        await act.Should().ThrowAsync<IOException>();
    }
}
