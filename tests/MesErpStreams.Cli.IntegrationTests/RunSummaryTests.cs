using System.Diagnostics.Metrics;
using System.Text.Json;
using MesErpStreams.Cli.Run;
using MesErpStreams.Edge.Simulation;
using RunReconciliation = MesErpStreams.Cli.Run.Reconciliation;

namespace MesErpStreams.Cli.IntegrationTests;

[Collection(InProcessMetersCollection.Name)]
public sealed class RunSummaryTests
{
    private static readonly RunReconciliation Reconciled = new(ExpectedPostings: 250_000, LedgerDocuments: 250_000, Missing: 0, Extra: 0, DoubledKeys: 0,
        ExpectedDeadLetters: 3_000, DeadLettersMissing: 0, MissingSample: [], ExtraSample: []);

    private static readonly OfferFigures Overloaded = OfferFigures.Compute(TimeSpan.FromSeconds(60), 300_000, 250_000, 0, 240_000, TimeSpan.FromSeconds(90));

    [Fact]
    public async Task Summary_prints_and_writes_throughput_backlog_cpu_and_the_three_latencies()
    {
        using var metrics = new RunMetrics(seed: 3);
        using (var meter = new Meter("MesErpStreams.Sink"))
        {
            var e2e = meter.CreateHistogram<double>(RunMetrics.EndToEndLatency, "s");
            var commandToAck = meter.CreateHistogram<double>(RunMetrics.CommandToAckLatency, "s");
            var occurredToAck = meter.CreateHistogram<double>(RunMetrics.OccurredToAckLatency, "s");
            for (var ms = 1; ms <= 100; ms++)
            {
                e2e.Record(ms / 1000d);
                commandToAck.Record(ms / 2000d);
                occurredToAck.Record(ms / 100d);
            }
        }

        var summary = RunSummary.From(new MesSimulatorStats(300_000, 6_000, 3_000, 500), metrics, Reconciled, Overloaded,
            new DrainResult(TimeSpan.FromSeconds(33.33), Complete: true, CutOff: false), TimeSpan.FromSeconds(95));

        summary.EventsOfferedPerSecond.Should().Be(5_000);
        summary.PostingsPerSecond.Should().Be(4_000);
        summary.BacklogAtEnd.Should().Be(10_000);
        summary.BacklogSeconds.Should().Be(2.4);
        summary.CpuSecondsPer1000Events.Should().Be(0.3);
        summary.E2eLatencyMsP50.Should().Be(50);
        summary.E2eLatencyMsP99.Should().Be(99);
        summary.CommandToAckMsP50.Should().Be(25);
        summary.CommandToAckMsP99.Should().Be(49.5);
        summary.OccurredToAckMsP50.Should().Be(500);
        summary.OccurredToAckMsP99.Should().Be(990);

        var printed = new StringWriter();
        summary.Print(printed);
        printed.ToString().Should()
            .Contain("end-to-end latency (event accepted -> ERP acknowledged): p50 50 ms, p99 99 ms")
            .And.Contain("command created -> ERP acknowledged: p50 25 ms, p99 49.5 ms")
            .And.Contain("MES occurredAt -> ERP acknowledged: p50 500 ms, p99 990 ms")
            .And.Contain("offered 5000 events/s for 60 s; ERP postings 4000/s meanwhile; backlog when the simulator stopped 10000 postings (2.4 s); CPU 0.3 s per 1,000 events");

        var json = await WriteAndParseAsync(summary);
        json.GetProperty("events_offered_per_s").GetDouble().Should().Be(5_000);
        json.GetProperty("postings_per_s").GetDouble().Should().Be(4_000);
        json.GetProperty("backlog_at_end").GetInt64().Should().Be(10_000);
        json.GetProperty("backlog_seconds").GetDouble().Should().Be(2.4);
        json.GetProperty("cpu_seconds_per_1000_events").GetDouble().Should().Be(0.3);
        json.GetProperty("offer_seconds").GetDouble().Should().Be(60);
        json.GetProperty("e2e_latency_ms_p50").GetDouble().Should().Be(50);
        json.GetProperty("e2e_latency_ms_p99").GetDouble().Should().Be(99);
        json.GetProperty("command_to_ack_ms_p50").GetDouble().Should().Be(25);
        json.GetProperty("command_to_ack_ms_p99").GetDouble().Should().Be(49.5);
        json.GetProperty("occurred_to_ack_ms_p50").GetDouble().Should().Be(500);
        json.GetProperty("occurred_to_ack_ms_p99").GetDouble().Should().Be(990);
        json.GetProperty("drain_seconds").GetDouble().Should().Be(33.3);
        json.GetProperty("drain_complete").GetBoolean().Should().BeTrue();
        json.GetProperty("drain_cut_off").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Drain_cut_off_while_postings_arrive_is_reported_as_such()
    {
        using var metrics = new RunMetrics();
        var missing = Reconciled with { LedgerDocuments = 240_000, Missing = 10_000 };

        var summary = RunSummary.From(new MesSimulatorStats(300_000, 6_000, 3_000, 500), metrics, missing, Overloaded,
            new DrainResult(TimeSpan.FromMinutes(1), Complete: false, CutOff: true), TimeSpan.FromSeconds(150));

        var printed = new StringWriter();
        summary.Print(printed);
        printed.ToString().Should().Contain("drain: 60 s, cut off by --max-drain while postings were still arriving")
            .And.Contain("missing 10000, extra 0").And.Contain("=> FAILED");
        var json = await WriteAndParseAsync(summary);
        json.GetProperty("drain_complete").GetBoolean().Should().BeFalse();
        json.GetProperty("drain_cut_off").GetBoolean().Should().BeTrue();
        json.GetProperty("reconciliation_ok").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Latencies_without_samples_are_zero_for_e2e_and_absent_for_the_stages()
    {
        using var metrics = new RunMetrics();

        var summary = RunSummary.From(new MesSimulatorStats(0, 0, 0, 0), metrics, Reconciled, OfferFigures.Compute(TimeSpan.FromSeconds(1), 0, 0, 0, 0, TimeSpan.Zero),
            new DrainResult(TimeSpan.FromSeconds(2), Complete: true, CutOff: false), TimeSpan.FromSeconds(5));

        var printed = new StringWriter();
        summary.Print(printed);
        printed.ToString().Should().Contain("end-to-end latency (event accepted -> ERP acknowledged): p50 0 ms, p99 0 ms")
            .And.Contain("command created -> ERP acknowledged: no samples; MES occurredAt -> ERP acknowledged: no samples");
        var json = await WriteAndParseAsync(summary);
        json.GetProperty("e2e_latency_ms_p99").GetDouble().Should().Be(0);
        json.TryGetProperty("command_to_ack_ms_p50", out _).Should().BeFalse();
        json.TryGetProperty("occurred_to_ack_ms_p99", out _).Should().BeFalse();
    }

    private static async Task<JsonElement> WriteAndParseAsync(RunSummary summary)
    {
        var path = Path.Combine(Path.GetTempPath(), $"meserp-summary-{Guid.NewGuid():N}.json");
        try
        {
            await summary.WriteJsonAsync(path);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            return doc.RootElement.Clone();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
