using System.Text.Json;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Cli.IntegrationTests;

public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_with_duplicates_late_master_data_and_invalid_events_reconciles_exactly()
    {
        var summaryPath = Path.Combine(Path.GetTempPath(), $"meserp-run-{Guid.NewGuid():N}.json");
        try
        {
            var (exit, stdout, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromMinutes(3), "run", "--duration", "25s",
                "--rate", "60", "--duplicate-rate", "0.05", "--invalid-rate", "0.03", "--late-master-data-rate", "0.3", "--seed", "7",
                "--summary-json", summaryPath);

            exit.Should().Be(0, $"reconciliation must pass; stdout:\n{Tail(stdout)}\nstderr:\n{Tail(stderr)}");
            stdout.Should().Contain("kafka bootstrap servers:").And.Contain("schema registry:").And.Contain("ERP simulator:");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath));
            var s = json.RootElement;
            foreach (var key in new[] { "events_published", "duplicates_sent", "invalid_sent", "commands_emitted", "postings_posted", "postings_duplicate", "dead_letters", "e2e_latency_ms_p99", "reconciliation_ok" })
            {
                s.TryGetProperty(key, out _).Should().BeTrue($"the summary has {key}");
            }

            s.GetProperty("reconciliation_ok").GetBoolean().Should().BeTrue();
            s.GetProperty("events_published").GetInt64().Should().BeGreaterThan(500);
            s.GetProperty("duplicates_sent").GetInt64().Should().BeGreaterThan(0);
            s.GetProperty("invalid_sent").GetInt64().Should().BeGreaterThan(0);
            s.GetProperty("duplicates_dropped").GetInt64().Should().Be(s.GetProperty("duplicates_sent").GetInt64());
            s.GetProperty("ledger_documents").GetInt32().Should().Be(s.GetProperty("expected_postings").GetInt32());
            s.GetProperty("postings_posted").GetInt64().Should().Be(s.GetProperty("expected_postings").GetInt32());
            s.GetProperty("postings_missing").GetInt32().Should().Be(0);
            s.GetProperty("postings_extra").GetInt32().Should().Be(0);
            s.GetProperty("dead_letters_missing").GetInt32().Should().Be(0);
        }
        finally
        {
            File.Delete(summaryPath);
        }
    }

    [Fact]
    public async Task Sigterm_drains_the_pipeline_and_reconciles_before_exiting()
    {
        await using var run = MeserpProcess.Start("run", "--rate", "40", "--summary-interval", "2s");
        await Eventually.TrueAsync(() => run.Stdout.Split('\n').Count(l => l.StartsWith('[')) >= 3 || run.HasExited, TimeSpan.FromSeconds(90),
            "the run to be under way (three live summary lines)");
        run.HasExited.Should().BeFalse(run.Stderr);

        // The sink and the processor must keep working through the drain after the signal (they once stopped with it,
        // leaving the last commands unposted), and the process must not be ended before the final summary.
        run.Terminate();
        await run.WaitForExitAsync(TimeSpan.FromMinutes(2));
        run.ExitCode.Should().Be(0, $"stdout:\n{Tail(run.Stdout)}\nstderr:\n{Tail(run.Stderr)}");
        run.Stdout.Should().Contain("== meserp run summary").And.Contain("missing 0, extra 0").And.Contain("=> OK");
        run.Stdout.Split('\n').Count(l => l.StartsWith('[')).Should().BeLessThan(40, "no busy loop of summary lines after the signal");
    }

    [Theory]
    [InlineData("--rate", "0", "--rate must be a positive number")]
    [InlineData("--duplicate-rate", "1.5", "--duplicate-rate must be between 0 and 1")]
    [InlineData("--brokers", "11", "--brokers must be between 1 and 10")]
    [InlineData("--bootstrap-servers", "nohost", "'nohost' is not host:port")]
    [InlineData("--erp-latency-ms", "-1", "--erp-latency-ms must be between 0 and 60000")]
    [InlineData("--erp-latency-ms", "fast", "--erp-latency-ms must be between 0 and 60000 (got 'fast')")]
    [InlineData("--rate", "fast", "--rate must be a positive number (got 'fast')")]
    [InlineData("--plants", "10", "--plants must be between 1 and 9")]
    [InlineData("--plants", "0", "--plants must be between 1 and 9")]
    [InlineData("--active-orders", "0", "--active-orders must be between 1 and 1000")]
    [InlineData("--active-orders", "1001", "--active-orders must be between 1 and 1000")]
    public async Task Run_rejects_bad_flags_at_start(string flag, string value, string message)
    {
        var (exit, _, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(30), "run", flag, value, "--duration", "5s");
        exit.Should().Be(2);
        stderr.Should().Contain(message);
    }

    private static string Tail(string s) => s.Length > 4000 ? s[^4000..] : s;
}
