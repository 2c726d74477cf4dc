using System.Diagnostics;

namespace MesErpStreams.Observability.IntegrationTests;

public sealed class PromtoolRulesTests
{
    [Fact]
    public async Task Promtool_check_rules_passes()
    {
        var (exit, output) = await RunAsync("check", "rules", MonitoringAssets.AlertsFile);
        exit.Should().Be(0, output);
        output.Should().Contain("SUCCESS");
    }

    [Fact]
    public async Task Promtool_alert_unit_tests_pass()
    {
        var (exit, output) = await RunAsync("test", "rules", MonitoringAssets.AlertTestsFile);
        exit.Should().Be(0, output);
        output.Should().Contain("SUCCESS");
    }

    [Fact]
    public async Task Every_operator_alert_of_the_issue_has_a_rule_and_a_unit_test()
    {
        var alerts = MonitoringAssets.AlertExpressions(MonitoringAssets.AlertsFile).Select(a => a.Alert).ToList();
        var tests = await File.ReadAllTextAsync(MonitoringAssets.AlertTestsFile);
        foreach (var alert in alerts)
        {
            tests.Should().Contain("alertname: " + alert, $"alert {alert} needs a promtool unit test");
        }

        alerts.Should().Contain(["MeserpErpCircuitOpen", "MeserpSinkDeadLettersRising", "MeserpPipelineDeadLettersRising", "MeserpConsumerLagHigh",
            "MeserpOldestPendingEventOverSla", "MeserpEdgeOutboxGrowing", "MeserpWorkerDown"]);
    }

    [Fact]
    public async Task A_failing_alert_unit_test_is_detected()
    {
        var dir = Path.Combine(Path.GetTempPath(), "meserp-promtool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(MonitoringAssets.AlertsFile, Path.Combine(dir, "meserp-alerts.yaml"));
            var tests = await File.ReadAllTextAsync(MonitoringAssets.AlertTestsFile);
            await File.WriteAllTextAsync(Path.Combine(dir, "t.yaml"), tests.Replace("eval_time: 5m\n        alertname: MeserpWorkerDown", "eval_time: 1m\n        alertname: MeserpWorkerDown", StringComparison.Ordinal));
            var (exit, _) = await RunAsync("test", "rules", Path.Combine(dir, "t.yaml"));
            exit.Should().NotBe(0);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(int, string)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }
}
