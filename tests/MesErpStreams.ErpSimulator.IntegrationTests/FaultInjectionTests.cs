using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace MesErpStreams.ErpSimulator.IntegrationTests;

public sealed class FaultInjectionTests
{
    private const string Confirmations = "api/erp/v1/production-order-confirmations";

    [Fact]
    public async Task Outage_set_through_the_admin_endpoint_answers_503_until_lifted()
    {
        await using var sim = await Simulator.StartAsync();
        (await sim.Http.PutAsJsonAsync("admin/faults", new { outage = true })).StatusCode.Should().Be(HttpStatusCode.OK);
        using var down = await sim.PostAsync(Confirmations, Simulator.Confirmation("1", 1m), "f-1");
        down.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await sim.GetJsonAsync("api/erp/v1/ledger/entries")).GetArrayLength().Should().Be(0, "an outage posts nothing");

        (await sim.Http.PutAsJsonAsync("admin/faults", new { outage = false })).StatusCode.Should().Be(HttpStatusCode.OK);
        using var up = await sim.PostAsync(Confirmations, Simulator.Confirmation("1", 1m), "f-1");
        up.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Throttling_answers_429_with_retry_after_for_the_configured_number_of_requests()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { ThrottleNext = 2, RetryAfterSeconds = 3 });
        for (var i = 0; i < 2; i++)
        {
            using var r = await sim.PostAsync(Confirmations, Simulator.Confirmation("1", 1m), "t-1");
            r.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
            r.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(3));
        }

        (await sim.PostAsync(Confirmations, Simulator.Confirmation("1", 1m), "t-1")).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Seeded_error_rate_is_deterministic_and_errors_post_nothing()
    {
        async Task<List<HttpStatusCode>> RunAsync()
        {
            await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { ErrorRate = 0.5, Seed = 7 });
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < 20; i++)
            {
                using var r = await sim.PostAsync(Confirmations, Simulator.Confirmation("1", 1m), $"e-{i}");
                codes.Add(r.StatusCode);
            }

            (await sim.GetJsonAsync("api/erp/v1/ledger/entries")).GetArrayLength().Should().Be(codes.Count(c => c == HttpStatusCode.Created));
            return codes;
        }

        var a = await RunAsync();
        var b = await RunAsync();
        a.Should().Equal(b);
        a.Should().Contain(HttpStatusCode.ServiceUnavailable).And.Contain(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Slow_response_past_the_client_timeout_still_posts_once_and_the_retry_is_a_duplicate()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { SlowNext = 1, SlowResponseDelayMs = 5_000 });
        // 2 s: long enough for the request to reach the ledger on a loaded machine, far short of the 5 s slow answer.
        using var impatient = new HttpClient { BaseAddress = sim.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        using var req = new HttpRequestMessage(HttpMethod.Post, Confirmations) { Content = JsonContent.Create(Simulator.Confirmation("1", 1m)) };
        req.Headers.Add("Idempotency-Key", "slow-1");
        var act = () => impatient.SendAsync(req);
        await act.Should().ThrowAsync<TaskCanceledException>();
        await MesErpStreams.TestUtils.Eventually.TrueAsync(async () => (await sim.GetJsonAsync("api/erp/v1/ledger/entries?idempotencyKey=slow-1")).GetArrayLength() == 1,
            TimeSpan.FromSeconds(10), "the posting the client gave up on to be in the ledger");

        using var retry = await sim.PostAsync(Confirmations, Simulator.Confirmation("1", 1m), "slow-1");
        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Simulator.JsonAsync(retry)).GetProperty("duplicate").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Added_latency_delays_answers()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { LatencyMs = 300 });
        var sw = Stopwatch.StartNew();
        (await sim.PostAsync(Confirmations, Simulator.Confirmation("1", 1m), "l-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        sw.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290));
    }

    [Fact]
    public async Task Invalid_fault_settings_are_rejected()
    {
        await using var sim = await Simulator.StartAsync();
        using var r = await sim.Http.PutAsJsonAsync("admin/faults", new { errorRate = 2.0 });
        r.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Simulator.JsonAsync(r)).GetProperty("message").GetString().Should().Contain("ErrorRate");
    }

    [Fact]
    public async Task Requests_above_the_configured_rate_are_throttled()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { MaxRequestsPerSecond = 3 });
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var r = await sim.PostAsync(Confirmations, Simulator.Confirmation("1", 1m), $"rps-{i}");
            codes.Add(r.StatusCode);
        }

        codes.Count(c => c == HttpStatusCode.Created).Should().BeInRange(3, 4, "at most 3 per one-second window (a window may roll over)");
        codes.Should().Contain(HttpStatusCode.TooManyRequests);
    }
}
