using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace MesErpStreams.ErpSimulator.IntegrationTests;

/// <summary><c>POST /api/erp/v1/batch</c> refused as a whole: bad batches (400) and faults applied once per batch request.</summary>
public sealed class BatchRequestTests
{
    private const string Valid = """{"id":"1","method":"POST","url":"production-order-confirmations","headers":{"Idempotency-Key":"ok-1"},"body":{"plant":"P1","orderNumber":"5000001","operation":"0010","yieldQuantity":1,"unit":"PC"}}""";
    private const string Valid2 = """{"id":"2","method":"POST","url":"production-order-confirmations","headers":{"Idempotency-Key":"ok-2"},"body":{"plant":"P1","orderNumber":"5000001","operation":"0010","yieldQuantity":2,"unit":"PC"}}""";

    [Theory]
    [InlineData("{\"requests\":[" + Valid + ",", "malformed JSON")]
    [InlineData("[" + Valid + "]", "malformed JSON")]
    [InlineData("{}", "'requests' is required")]
    [InlineData("""{"requests":[]}""", "'requests' must not be empty")]
    [InlineData("""{"requests":[""" + Valid + ",null]}", "requests[1] must be an object")]
    [InlineData("""{"requests":[""" + Valid + """,{"method":"POST","url":"goods-movements","body":{}}]}""", "requests[1].id is required")]
    [InlineData("""{"requests":[""" + Valid + "," + Valid + "]}", "id '1' is repeated")]
    [InlineData("""{"requests":[""" + Valid + """,{"id":"2","method":"PATCH","url":"goods-movements","body":{}}]}""", "requests[1].method must be POST")]
    [InlineData("""{"requests":[""" + Valid + """,{"id":"2","url":"goods-movements","body":{}}]}""", "requests[1].method must be POST")]
    [InlineData("""{"requests":[""" + Valid + """,{"id":"2","method":"POST","url":"goods-movements","dependsOn":["3"],"body":{}},{"id":"3","method":"POST","url":"goods-movements","body":{}}]}""", "requests[1].dependsOn names '3'")]
    [InlineData("""{"requests":[""" + Valid + """,{"id":"2","method":"POST","url":"goods-movements","dependsOn":["2"],"body":{}}]}""", "requests[1].dependsOn names '2'")]
    [InlineData("""{"requests":[""" + Valid + """,{"id":"2","method":"POST","url":"goods-movements","dependsOn":["nope"],"body":{}}]}""", "not an earlier request")]
    public async Task Bad_batch_is_refused_whole_with_400_and_writes_nothing(string json, string problem)
    {
        await using var sim = await Simulator.StartAsync();
        using var r = await sim.PostRawBatchAsync(json);
        r.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = await Simulator.JsonAsync(r);
        error.GetProperty("error").GetString().Should().Be("validation");
        error.GetProperty("message").GetString().Should().Contain(problem);
        (await sim.LedgerKeysAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Batch_larger_than_the_configured_maximum_is_refused_whole()
    {
        await using var sim = await Simulator.StartAsync(o => o.MaxBatchSize = 2);
        using var tooLarge = await sim.PostRawBatchAsync($$"""{"requests":[{{Valid}},{{Valid2}},{{Valid.Replace("\"1\"", "\"3\"", StringComparison.Ordinal)}}]}""");
        tooLarge.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Simulator.JsonAsync(tooLarge)).GetProperty("message").GetString().Should().Be("a batch carries at most 2 requests (got 3)");
        (await sim.LedgerKeysAsync()).Should().BeEmpty();

        using var atLimit = await sim.PostRawBatchAsync($$"""{"requests":[{{Valid}},{{Valid2}}]}""");
        (await Simulator.ResponsesAsync(atLimit)).Select(x => x.GetProperty("status").GetInt32()).Should().Equal(201, 201);
    }

    [Fact]
    public void Max_batch_size_out_of_range_is_an_invalid_option()
    {
        var act = () => new ErpSimulatorOptions { MaxBatchSize = 0 }.Validate();
        act.Should().Throw<ArgumentException>().WithMessage("--max-batch-size*").Which.ParamName.Should().Be(nameof(ErpSimulatorOptions.MaxBatchSize));
        new ErpSimulatorOptions().MaxBatchSize.Should().Be(1000);
    }

    [Fact]
    public async Task Refused_batch_has_one_journal_entry_per_item_with_the_batch_status()
    {
        await using var sim = await Simulator.StartAsync();
        (await sim.PostRawBatchAsync($$"""{"requests":[{{Valid}},{{Valid}}]}""")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await sim.PostRawBatchAsync("{not json")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var journal = (await sim.GetJsonAsync("admin/requests")).EnumerateArray()
            .Select(e => (e.GetProperty("path").GetString(), e.TryGetProperty("idempotencyKey", out var k) ? k.GetString() : null, e.GetProperty("status").GetInt32())).ToList();
        journal.Should().Equal(
            ("/api/erp/v1/production-order-confirmations", "ok-1", 400),
            ("/api/erp/v1/production-order-confirmations", "ok-1", 400),
            ("/api/erp/v1/batch", null, 400));
    }

    [Fact]
    public async Task Outage_answers_the_whole_batch_503_and_posts_nothing()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { Outage = true });
        using var down = await sim.PostRawBatchAsync($$"""{"requests":[{{Valid}},{{Valid2}}]}""");
        down.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await Simulator.JsonAsync(down)).GetProperty("error").GetString().Should().Be("outage");
        (await sim.LedgerKeysAsync()).Should().BeEmpty();
        (await sim.GetJsonAsync("admin/requests")).EnumerateArray().Select(e => e.GetProperty("status").GetInt32()).Should().Equal(503, 503);

        (await sim.Http.PutAsJsonAsync("admin/faults", new { outage = false })).StatusCode.Should().Be(HttpStatusCode.OK);
        using var up = await sim.PostRawBatchAsync($$"""{"requests":[{{Valid}},{{Valid2}}]}""");
        (await Simulator.ResponsesAsync(up)).Select(x => x.GetProperty("status").GetInt32()).Should().Equal(201, 201);
    }

    [Fact]
    public async Task Outage_with_connection_reset_aborts_the_batch_request()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { Outage = true, OutageResetsConnection = true });
        var act = () => sim.PostRawBatchAsync($$"""{"requests":[{{Valid}}]}""");
        await act.Should().ThrowAsync<HttpRequestException>();
        (await sim.LedgerKeysAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Throttling_counts_batch_requests_and_answers_429_with_retry_after()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { ThrottleNext = 1, RetryAfterSeconds = 4 });
        using var throttled = await sim.PostRawBatchAsync($$"""{"requests":[{{Valid}},{{Valid2}}]}""");
        throttled.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(4));
        (await sim.LedgerKeysAsync()).Should().BeEmpty();

        using var next = await sim.PostRawBatchAsync($$"""{"requests":[{{Valid}},{{Valid2}}]}""");
        (await Simulator.ResponsesAsync(next)).Select(x => x.GetProperty("status").GetInt32()).Should().Equal(201, 201);
    }

    [Fact]
    public async Task Rate_limit_counts_a_batch_as_one_request()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { MaxRequestsPerSecond = 2 });
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // Five postings per batch: counted per posting, the first batch alone would exceed the limit.
            object[] items = [.. Enumerable.Range(0, 5).Select(j => Simulator.Item($"{j}", "production-order-confirmations", $"rps-{i}-{j}", Simulator.Confirmation("5000002", 1m)))];
            using var r = await sim.PostBatchAsync(items);
            codes.Add(r.StatusCode);
        }

        codes[0].Should().Be(HttpStatusCode.OK);
        codes[1].Should().Be(HttpStatusCode.OK);
        codes.Count(c => c == HttpStatusCode.OK).Should().BeInRange(2, 3, "at most 2 batch requests per one-second window (a window may roll over)");
        codes.Should().Contain(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Injected_error_answers_the_whole_batch_with_the_error_status_and_writes_nothing()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { FailNext = 1, ErrorStatusCode = 502 });
        using var failed = await sim.PostRawBatchAsync($$"""{"requests":[{{Valid}},{{Valid2}}]}""");
        failed.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await Simulator.JsonAsync(failed)).GetProperty("error").GetString().Should().Be("internal");
        (await sim.LedgerKeysAsync()).Should().BeEmpty();

        using var next = await sim.PostRawBatchAsync($$"""{"requests":[{{Valid}},{{Valid2}}]}""");
        (await Simulator.ResponsesAsync(next)).Select(x => x.GetProperty("status").GetInt32()).Should().Equal(201, 201);
    }

    [Fact]
    public async Task Latency_is_added_once_per_batch_not_per_posting()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { LatencyMs = 400 });
        object[] items = [.. Enumerable.Range(0, 20).Select(i => Simulator.Item($"{i}", "production-order-confirmations", $"lat-{i}", Simulator.Confirmation("5000003", 1m)))];
        var sw = Stopwatch.StartNew();
        using var r = await sim.PostBatchAsync(items);
        sw.Stop();
        (await Simulator.ResponsesAsync(r)).Should().HaveCount(20).And.OnlyContain(x => x.GetProperty("status").GetInt32() == 201);
        sw.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(390));
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(4_000), "20 postings × 400 ms would be 8 s");
    }

    [Fact]
    public async Task Slow_response_comes_after_the_commit_so_a_client_that_gave_up_finds_every_document_posted()
    {
        await using var sim = await Simulator.StartAsync(o => o.Faults = new FaultOptions { SlowNext = 1, SlowResponseDelayMs = 5_000 });
        using var impatient = new HttpClient { BaseAddress = sim.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var body = $$"""{"requests":[{{Valid}},{{Valid2}}]}""";
        var act = () => impatient.PostAsync(Simulator.BatchPath, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await act.Should().ThrowAsync<TaskCanceledException>();
        await MesErpStreams.TestUtils.Eventually.TrueAsync(async () => (await sim.LedgerKeysAsync()).Count == 2,
            TimeSpan.FromSeconds(10), "the batch the client gave up on to be in the ledger");

        using var retry = await sim.PostRawBatchAsync(body);
        var responses = await Simulator.ResponsesAsync(retry);
        responses.Select(x => x.GetProperty("status").GetInt32()).Should().Equal(200, 200);
        responses.Should().OnlyContain(x => x.GetProperty("body").GetProperty("duplicate").GetBoolean());
    }
}
