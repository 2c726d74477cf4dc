using System.Text.Json;
using System.Text.RegularExpressions;

namespace MesErpStreams.Observability.IntegrationTests;

/// <summary>
/// Checks dashboards and alert rules against a Prometheus that scraped a workload: every expression must be valid
/// PromQL, every metric it names must exist, and every dashboard panel query must return data.
/// </summary>
internal sealed partial class MonitoringVerifier(HttpClient prometheus)
{
    public async Task<IReadOnlyList<string>> VerifyDashboardAsync(string file)
    {
        var problems = new List<string>();
        var names = await MetricNamesAsync();
        var queries = MonitoringAssets.DashboardQueries(file);
        if (queries.Count == 0)
        {
            problems.Add($"{Path.GetFileName(file)}: no panel queries");
        }

        foreach (var (panel, expr) in queries)
        {
            var where = $"{Path.GetFileName(file)} panel '{panel}'";
            problems.AddRange(MissingMetrics(expr, names).Select(m => $"{where}: metric {m} does not exist"));
            var (error, count) = await QueryAsync(expr);
            if (error is not null)
            {
                problems.Add($"{where}: invalid expression `{expr}`: {error}");
            }
            else if (count == 0)
            {
                problems.Add($"{where}: `{expr}` returned no data");
            }
        }

        return problems;
    }

    public async Task<IReadOnlyList<string>> VerifyAlertsAsync(string file)
    {
        var problems = new List<string>();
        var names = await MetricNamesAsync();
        foreach (var (alert, expr) in MonitoringAssets.AlertExpressions(file))
        {
            problems.AddRange(MissingMetrics(expr, names).Select(m => $"alert {alert}: metric {m} does not exist"));
            var (error, _) = await QueryAsync(expr);
            if (error is not null)
            {
                problems.Add($"alert {alert}: invalid expression `{expr}`: {error}");
            }
        }

        // Prometheus loaded the same file as rules: each must evaluate without error.
        using var rules = JsonDocument.Parse(await prometheus.GetStringAsync("api/v1/rules"));
        foreach (var group in rules.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray())
        {
            foreach (var rule in group.GetProperty("rules").EnumerateArray())
            {
                if (rule.GetProperty("health").GetString() is "err")
                {
                    problems.Add($"rule {rule.GetProperty("name").GetString()}: {rule.GetProperty("lastError").GetString()}");
                }
            }
        }

        return problems;
    }

    public async Task<HashSet<string>> MetricNamesAsync()
    {
        using var doc = JsonDocument.Parse(await prometheus.GetStringAsync("api/v1/label/__name__/values"));
        return doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<(string? Error, int Count)> QueryAsync(string expr)
    {
        using var response = await prometheus.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(expr));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            return (root.TryGetProperty("error", out var e) ? e.GetString() : "status " + (int)response.StatusCode, 0);
        }

        var result = root.GetProperty("data").GetProperty("result");
        return (null, result.ValueKind == JsonValueKind.Array ? result.GetArrayLength() : 1);
    }

    /// <summary>Product metric names (meserpstreams_*) in an expression that Prometheus has never seen; histogram suffixes included.</summary>
    private static IEnumerable<string> MissingMetrics(string expr, HashSet<string> names) =>
        MetricName().Matches(expr).Select(m => m.Value).Distinct(StringComparer.Ordinal).Where(n => !names.Contains(n));

    [GeneratedRegex(@"\bmeserpstreams_[a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();
}
