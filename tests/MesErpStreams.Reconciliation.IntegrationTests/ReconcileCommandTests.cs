using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Reconciliation.IntegrationTests;

public sealed partial class ReconcileCommandTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Clean_run_reconciles_without_gaps_and_a_deleted_ledger_entry_is_exactly_one_gap()
    {
        // A live `meserp run` (no --duration: it keeps running while we reconcile); --settle keeps the events still in
        // flight out of the expectation, which is what this test shows does not create false gaps.
        await using var run = MeserpProcess.Start("run", "--rate", "20", "--late-master-data-rate", "0", "--summary-interval", "60s", "--seed", "11");
        await Eventually.TrueAsync(() => ErpUrl().IsMatch(run.Stdout) || run.HasExited, TimeSpan.FromSeconds(90), "meserp run prints its endpoints");
        run.HasExited.Should().BeFalse($"meserp run must keep running; stderr:\n{run.Stderr}");
        var bootstrap = BootstrapServers().Match(run.Stdout).Groups[1].Value;
        var registry = RegistryUrl().Match(run.Stdout).Groups[1].Value;
        var erp = new Uri(ErpUrl().Match(run.Stdout).Groups[1].Value);
        using var http = new HttpClient { BaseAddress = erp, Timeout = TimeSpan.FromSeconds(20) };
        await Eventually.TrueAsync(async () => (await LedgerAsync(http)).GetArrayLength() >= 250, TimeSpan.FromSeconds(60), "the ERP ledger holds 250 documents");

        var report = Path.Combine(Path.GetTempPath(), $"meserp-reconcile-{Guid.NewGuid():N}.json");
        string[] args = ["reconcile", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry, "--erp-url", erp.ToString(), "--settle", "5s", "--report", report];
        try
        {
            (int Exit, string Stdout, string Stderr) clean = default;
            await Eventually.TrueAsync(async () =>
            {
                clean = await MeserpProcess.RunAsync(CommandTimeout, args);
                return clean.Exit == 0;
            }, TimeSpan.FromSeconds(45), "a clean run reconciles with exit 0");
            clean.Stdout.Should().Contain("gaps: 0").And.Contain("completeness 100.00");
            using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
            {
                json.RootElement.GetProperty("gapCount").GetInt32().Should().Be(0);
                json.RootElement.GetProperty("expectedPostings").GetInt32().Should().BeGreaterThan(100, "about 5 s of postings are still in flight");
                json.RootElement.GetProperty("completeness").GetDouble().Should().Be(1d);
            }

            // With a metrics port the command keeps serving (and re-running every --interval): completeness per plant.
            await using (var serving = MeserpProcess.Start([.. args, "--metrics-port", "0", "--interval", "1h"]))
            {
                await Eventually.TrueAsync(() => MetricsUrl().IsMatch(serving.Stderr) && serving.Stdout.Contains("gaps:", StringComparison.Ordinal) || serving.HasExited,
                    CommandTimeout, "reconcile serves metrics after its first run");
                serving.HasExited.Should().BeFalse($"with --metrics-port the command keeps serving; stderr:\n{serving.Stderr}");
                var metrics = await http.GetStringAsync(new Uri(MetricsUrl().Match(serving.Stderr).Groups[1].Value));
                metrics.Should().Contain("# TYPE meserpstreams_reconciliation_meserp_reconciliation_completeness gauge")
                    .And.MatchRegex(@"meserpstreams_reconciliation_meserp_reconciliation_completeness\{plant=""1000""\} (1|0\.9[0-9.e-]*)\n")
                    .And.MatchRegex(@"meserpstreams_reconciliation_meserp_reconciliation_runs\{result=""(clean|gaps)""\} 1\n");
            }

            // Lose one posting: the oldest document, long settled.
            var key = (await LedgerAsync(http))[0].GetProperty("idempotencyKey").GetString()!;
            var eventId = Guid.ParseExact(key[3..], "N"); // OC-/GM-/SS- + the source event id
            using (var deleted = await http.DeleteAsync(new Uri($"admin/ledger/entries?idempotencyKey={key}", UriKind.Relative)))
            {
                deleted.StatusCode.Should().Be(HttpStatusCode.OK);
            }

            (int Exit, string Stdout, string Stderr) gapRun = default;
            JsonElement[] gaps = [];
            await Eventually.TrueAsync(async () =>
            {
                gapRun = await MeserpProcess.RunAsync(CommandTimeout, args);
                using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
                gaps = [.. json.RootElement.GetProperty("gaps").EnumerateArray().Select(g => g.Clone())];
                return gapRun.Exit == 1 && gaps.Length == 1;
            }, TimeSpan.FromSeconds(45), "reconcile reports exactly one gap");
            var gap = gaps.Single();
            gap.GetProperty("kind").GetString().Should().Be("missing");
            gap.GetProperty("stage").GetString().Should().Be("not-in-ledger");
            gap.GetProperty("idempotencyKey").GetString().Should().Be(key);
            gap.GetProperty("eventIds").EnumerateArray().Select(e => e.GetGuid()).Should().Equal(eventId);
            gapRun.Stdout.Should().Contain("gaps: 1").And.Contain(key).And.Contain(eventId.ToString("D"));

            // An ERP failing every call: the sink holds settled commands (an outage is never a posting's failure: no retry
            // tier, no dead letter), and the gaps say they are not posted yet and why that may be.
            using (var faults = await http.PutAsync(new Uri("admin/faults", UriKind.Relative),
                       new StringContent("""{"errorRate":1.0,"errorStatusCode":503}""", System.Text.Encoding.UTF8, "application/json")))
            {
                faults.StatusCode.Should().Be(HttpStatusCode.OK);
            }

            await Eventually.TrueAsync(async () =>
            {
                var r = await MeserpProcess.RunAsync(CommandTimeout, args);
                using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
                var gaps = json.RootElement.GetProperty("gaps").EnumerateArray().ToList();
                return r.ExitCode == 1 && gaps.Any(g => g.GetProperty("stage").GetString() == "not-posted"
                    && g.GetProperty("detail").GetString()!.Contains("the sink holds postings", StringComparison.Ordinal))
                    && gaps.All(g => g.GetProperty("stage").GetString() != "retrying");
            }, TimeSpan.FromSeconds(45), "reconcile reports commands the sink holds while the ERP answers 503, none in a retry tier");
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public async Task Unreachable_kafka_exits_2_with_a_message()
    {
        var (exit, _, stderr) = await MeserpProcess.RunAsync(CommandTimeout, "reconcile", "--bootstrap-servers", "127.0.0.1:1",
            "--schema-registry-url", "http://127.0.0.1:1", "--erp-url", "http://127.0.0.1:1/", "--timeout", "2s");

        exit.Should().Be(2);
        stderr.Should().Contain("meserp reconcile: Kafka at '127.0.0.1:1'");
    }

    [Theory]
    [InlineData("--from 2026-02-01T00:00:00Z --to 2026-01-01T00:00:00Z", "--from must be before --to")]
    [InlineData("--from yesterday-ish", "--from: 'yesterday-ish' is neither an ISO 8601 time nor a duration ago")]
    [InlineData("--settle soon", "--settle: 'soon' is not a duration")]
    [InlineData("--quantity-scale 9", "--quantity-scale must be between 0 and 6")]
    [InlineData("--erp-url ftp://erp", "--erp-url: 'ftp://erp' is not an absolute http(s) URL")]
    public async Task Bad_flags_exit_2_naming_the_option(string flags, string message)
    {
        var (exit, _, stderr) = await MeserpProcess.RunAsync(CommandTimeout,
            ["reconcile", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "http://127.0.0.1:1", .. flags.Split(' ')]);

        exit.Should().Be(2);
        stderr.Should().Contain(message);
    }

    private static async Task<JsonElement> LedgerAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync(new Uri("api/erp/v1/ledger/entries", UriKind.Relative))).RootElement;

    [GeneratedRegex(@"metrics on (\S+)")]
    private static partial Regex MetricsUrl();

    [GeneratedRegex(@"kafka bootstrap servers:\s+(\S+)")]
    private static partial Regex BootstrapServers();

    [GeneratedRegex(@"schema registry:\s+(\S+)")]
    private static partial Regex RegistryUrl();

    [GeneratedRegex(@"ERP simulator:\s+(\S+)")]
    private static partial Regex ErpUrl();
}
