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

    private HttpErpClient Client(string? token = "t0ken", TimeSpan? timeout = null, Uri? address = null) =>
        new(new HttpErpClientOptions { BaseAddress = address ?? _sim.BaseAddress, BearerToken = token, Timeout = timeout ?? TimeSpan.FromSeconds(5) });

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
}
