using System.Net;
using System.Net.Sockets;
using MesErpStreams.ErpSimulator;
using MesErpStreams.Sink.Erp;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Sink.IntegrationTests;

/// <summary>The HTTP adapter against the simulator over real HTTP: every outcome class.</summary>
public sealed class HttpErpClientTests : IAsyncLifetime
{
    private readonly string _ledger = Path.Combine(Path.GetTempPath(), "erpclient-" + Guid.NewGuid().ToString("N") + ".db");
    private ErpSimulatorHost _sim = null!;

    public async Task InitializeAsync() =>
        _sim = await ErpSimulatorHost.StartAsync(new ErpSimulatorOptions { Port = 0, LedgerPath = _ledger, BearerToken = "t0ken" }, l => l.SetMinimumLevel(LogLevel.Warning));

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(_ledger)!, Path.GetFileName(_ledger) + "*"))
        {
            File.Delete(f);
        }
    }

    private HttpErpClient Client(string? token = "t0ken", TimeSpan? timeout = null, Uri? address = null, string? batchPath = null) =>
        new(new HttpErpClientOptions
        {
            BaseAddress = address ?? _sim.BaseAddress, BearerToken = token, Timeout = timeout ?? TimeSpan.FromSeconds(5),
            BatchPath = batchPath ?? new HttpErpClientOptions().BatchPath,
        });

    [Fact]
    public async Task Posting_twice_is_posted_then_duplicate_with_the_same_document()
    {
        using var client = Client();
        var c = SinkHarness.Confirmation("C-1", 1);
        var first = await client.PostAsync(c, CancellationToken.None);
        first.Kind.Should().Be(ErpOutcomeKind.Posted);
        var second = await client.PostAsync(c, CancellationToken.None);
        second.Kind.Should().Be(ErpOutcomeKind.Duplicate);
        second.DocumentNumber.Should().Be(first.DocumentNumber);
    }

    [Fact]
    public async Task Validation_error_is_permanent_with_the_erp_message()
    {
        using var client = Client();
        var o = await client.PostAsync(SinkHarness.Confirmation("C-2", 1, yield: 0m), CancellationToken.None);
        o.Kind.Should().Be(ErpOutcomeKind.PermanentFailure);
        o.HttpStatus.Should().Be(422);
        o.Message.Should().Contain("yield");
    }

    [Fact]
    public async Task Missing_or_wrong_token_is_transient_auth_failure_not_a_rejection()
    {
        using var client = Client(token: "wrong");
        var o = await client.PostAsync(SinkHarness.Confirmation("C-3", 1), CancellationToken.None);
        o.Kind.Should().Be(ErpOutcomeKind.TransientFailure);
        o.FailureClass.Should().Be("auth");
        o.HttpStatus.Should().Be(401);
    }

    [Fact]
    public async Task Slow_answer_past_the_timeout_is_transient_and_the_retry_is_a_duplicate()
    {
        // 1 s: long enough for the request to reach the ledger on a loaded machine, far short of the 3 s slow answer.
        _sim.Faults = new FaultOptions { SlowNext = 1, SlowResponseDelayMs = 3_000 };
        using var client = Client(timeout: TimeSpan.FromSeconds(1));
        var c = SinkHarness.Confirmation("C-4", 1);
        var o = await client.PostAsync(c, CancellationToken.None);
        o.Kind.Should().Be(ErpOutcomeKind.TransientFailure);
        o.FailureClass.Should().Be("timeout");

        using var ledger = new HttpClient { BaseAddress = _sim.BaseAddress };
        ledger.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t0ken");
        await MesErpStreams.TestUtils.Eventually.TrueAsync(
            async () => (await ledger.GetStringAsync(new Uri("api/erp/v1/ledger/entries?idempotencyKey=" + Uri.EscapeDataString(c.IdempotencyKey), UriKind.Relative))).Contains(c.IdempotencyKey, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the posting the client gave up on to be in the ledger");
        (await client.PostAsync(c, CancellationToken.None)).Kind.Should().Be(ErpOutcomeKind.Duplicate);
    }

    [Fact]
    public async Task Throttling_carries_retry_after_and_outage_is_erp_unavailable()
    {
        _sim.Faults = new FaultOptions { ThrottleNext = 1, RetryAfterSeconds = 7 };
        using var client = Client();
        var t = await client.PostAsync(SinkHarness.Confirmation("C-5", 1), CancellationToken.None);
        t.FailureClass.Should().Be("throttled");
        t.RetryAfter.Should().Be(TimeSpan.FromSeconds(7));
        t.ErpUnavailable.Should().BeFalse();

        _sim.Faults = new FaultOptions { Outage = true };
        var down = await client.PostAsync(SinkHarness.Confirmation("C-5", 2), CancellationToken.None);
        down.Kind.Should().Be(ErpOutcomeKind.TransientFailure);
        down.HttpStatus.Should().Be(503);
        down.ErpUnavailable.Should().BeTrue();
    }

    [Fact]
    public async Task Refused_connection_is_transient()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        using var client = Client(address: new Uri($"http://127.0.0.1:{port}/"));
        var o = await client.PostAsync(SinkHarness.Confirmation("C-6", 1), CancellationToken.None);
        o.Kind.Should().Be(ErpOutcomeKind.TransientFailure);
        o.FailureClass.Should().Be("connection");
        o.ErpUnavailable.Should().BeTrue();
    }

    [Fact]
    public async Task Command_without_a_matching_body_is_rejected_without_calling_the_erp()
    {
        using var client = Client();
        var c = SinkHarness.Confirmation("C-7", 1) with { CommandType = Contracts.Erp.ErpCommandType.GoodsMovement };
        var o = await client.PostAsync(c, CancellationToken.None);
        o.Kind.Should().Be(ErpOutcomeKind.PermanentFailure);
        o.FailureClass.Should().Be("invalid-command");
    }

    [Fact]
    public async Task Batch_answers_each_posting_on_its_own_and_skips_the_dependents_of_a_failed_one()
    {
        using var client = Client();
        var earlier = SinkHarness.Confirmation("B-1", 0);
        var earlierDoc = (await client.PostAsync(earlier, CancellationToken.None)).DocumentNumber;
        var good = SinkHarness.Confirmation("B-1", 1);
        var rejected = SinkHarness.Confirmation("B-2", 0, yield: 0m);
        var behindRejected = SinkHarness.Confirmation("B-2", 1);
        var other = SinkHarness.Confirmation("B-3", 0);
        var unpostable = SinkHarness.Confirmation("B-4", 0) with { CommandType = Contracts.Erp.ErpCommandType.GoodsMovement };
        var behindUnpostable = SinkHarness.Confirmation("B-4", 1);

        var outcomes = await client.PostBatchAsync(
        [
            new(earlier, false), new(good, true), new(rejected, false), new(behindRejected, true), new(other, false),
            new(unpostable, false), new(behindUnpostable, true),
        ], CancellationToken.None);

        outcomes.Select(o => o.Kind).Should().Equal(
            ErpOutcomeKind.Duplicate, ErpOutcomeKind.Posted, ErpOutcomeKind.PermanentFailure, ErpOutcomeKind.TransientFailure,
            ErpOutcomeKind.Posted, ErpOutcomeKind.PermanentFailure, ErpOutcomeKind.TransientFailure);
        outcomes[0].DocumentNumber.Should().Be(earlierDoc);
        outcomes[2].HttpStatus.Should().Be(422);
        outcomes[2].Message.Should().Contain("yield");
        outcomes[3].Should().Be(ErpPostingOutcome.NotExecuted, "it depends on the rejected posting");
        outcomes[5].FailureClass.Should().Be("invalid-command");
        outcomes[6].Should().Be(ErpPostingOutcome.NotExecuted, "its predecessor was never sent");
        (await client.PostAsync(behindRejected, CancellationToken.None)).Kind.Should().Be(ErpOutcomeKind.Posted, "the skipped posting was not written");
    }

    [Fact]
    public async Task A_batch_that_fails_as_a_whole_fails_every_posting_alike()
    {
        using var client = Client();
        _sim.Faults = new FaultOptions { ThrottleNext = 1, RetryAfterSeconds = 3 };
        var throttled = await client.PostBatchAsync([new(SinkHarness.Confirmation("W-1", 0), false), new(SinkHarness.Confirmation("W-1", 1), true)], CancellationToken.None);
        throttled.Should().OnlyContain(o => o.FailureClass == "throttled" && o.RetryAfter == TimeSpan.FromSeconds(3) && !o.ErpUnavailable);

        _sim.Faults = new FaultOptions { Outage = true };
        var down = await client.PostBatchAsync([new(SinkHarness.Confirmation("W-2", 0), false), new(SinkHarness.Confirmation("W-3", 0), false)], CancellationToken.None);
        down.Should().HaveCount(2).And.OnlyContain(o => o.HttpStatus == 503 && o.ErpUnavailable && o.Kind == ErpOutcomeKind.TransientFailure);
    }

    [Fact]
    public async Task A_refused_batch_request_is_never_a_rejection_of_its_postings()
    {
        using var client = Client(batchPath: "api/erp/v1/no-such-batch-endpoint");
        var outcomes = await client.PostBatchAsync([new(SinkHarness.Confirmation("N-1", 0), false), new(SinkHarness.Confirmation("N-2", 0), false)], CancellationToken.None);
        outcomes.Should().OnlyContain(o => o.Kind == ErpOutcomeKind.TransientFailure && o.FailureClass == "batch-refused" && o.ErpUnavailable,
            "a missing batch endpoint is a configuration problem: the postings must wait, not be dead-lettered");
        outcomes[0].Message.Should().Contain("MaxBatchSize");
    }
}
