using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace MesErpStreams.Observability.IntegrationTests;

/// <summary>The dashboards and alert rules under k8s/monitoring, and the PromQL expressions they use.</summary>
internal static class MonitoringAssets
{
    public static string MonitoringDir { get; } = FindMonitoringDir();

    public static string AlertsFile => Path.Combine(MonitoringDir, "alerts", "meserp-alerts.yaml");

    public static string AlertTestsFile => Path.Combine(MonitoringDir, "alerts", "meserp-alerts.test.yaml");

    public static IReadOnlyList<string> DashboardFiles =>
        Directory.GetFiles(Path.Combine(MonitoringDir, "dashboards"), "*.json").Order(StringComparer.Ordinal).ToList();

    /// <summary>(panel title, expression) of every target of every panel, rows included.</summary>
    public static IReadOnlyList<(string Panel, string Expr)> DashboardQueries(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var result = new List<(string, string)>();
        Collect(doc.RootElement, result);
        return result;
    }

    /// <summary>(alert name, expression) of every rule in the alert rule file.</summary>
    public static IReadOnlyList<(string Alert, string Expr)> AlertExpressions(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var result = new List<(string, string)>();
        foreach (YamlMappingNode group in (YamlSequenceNode)root["groups"])
        {
            foreach (YamlMappingNode rule in (YamlSequenceNode)group["rules"])
            {
                var name = rule.Children.TryGetValue("alert", out var a) ? a.ToString() : rule["record"].ToString();
                result.Add((name, rule["expr"].ToString()));
            }
        }

        return result;
    }

    private static void Collect(JsonElement element, List<(string, string)> result)
    {
        if (!element.TryGetProperty("panels", out var panels))
        {
            return;
        }

        foreach (var panel in panels.EnumerateArray())
        {
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "?" : "?";
            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    if (target.TryGetProperty("expr", out var expr) && expr.GetString() is { Length: > 0 } e)
                    {
                        result.Add((title, e));
                    }
                }
            }

            Collect(panel, result);
        }
    }

    private static string FindMonitoringDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "k8s", "monitoring");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("k8s/monitoring not found above " + AppContext.BaseDirectory);
    }
}
