namespace MesErpStreams.Deployment.Tests;

/// <summary>
/// k8s/base/monitoring/prometheusrule.yaml is k8s/monitoring/alerts/meserp-alerts.yaml's groups inside a
/// PrometheusRule (kustomize cannot wrap a file into a custom resource). Rendered here; the test compares the
/// committed file and rewrites it when MESERP_UPDATE_DEPLOYMENT=1.
/// </summary>
internal static class PrometheusRuleFile
{
    public const string UpdateVariable = "MESERP_UPDATE_DEPLOYMENT";

    public static string CommittedPath => Repo.Path("k8s", "base", "monitoring", "prometheusrule.yaml");

    public static string AlertsPath => Repo.Path("k8s", "monitoring", "alerts", "meserp-alerts.yaml");

    private const string Header = """
        # Prometheus operator: the alert rules of k8s/monitoring/alerts/meserp-alerts.yaml (their promtool tests live
        # there), generated: spec.groups is that file's groups, indented. Do not edit here: after changing the alerts run
        # `MESERP_UPDATE_DEPLOYMENT=1 dotnet test tests/MesErpStreams.Deployment.Tests -c Release` (a test compares them).
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: meserp-alerts
          labels:
            app.kubernetes.io/part-of: meserp
            # Default ruleSelector label of kube-prometheus-stack installs named "prometheus"; adjust to your operator's.
            release: prometheus
        spec:
          groups:

        """;

    public static string Render(string alerts)
    {
        alerts = alerts.ReplaceLineEndings("\n");
        const string marker = "\ngroups:\n";
        var at = alerts.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException("the alert rule file has no top-level `groups:`");
        }

        var body = alerts[(at + marker.Length)..].Split('\n').Select(l => l.Length == 0 ? l : "  " + l);
        return Header + string.Join('\n', body);
    }
}
