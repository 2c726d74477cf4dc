using System.Globalization;
using System.Text.RegularExpressions;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Edge.IntegrationTests;

/// <summary>`meserp edge publish --metrics-port 0`: the outbox is visible on /metrics while Kafka is unreachable (draining is covered by StoreAndForwardTests).</summary>
public sealed partial class EdgeMetricsTests : EdgeClusterTest
{
    [Fact]
    public async Task Outbox_depth_age_and_accepted_events_are_served_on_metrics_while_kafka_is_unreachable()
    {
        var events = EdgeCluster.SampleEvents(40);
        var input = Path.Combine(Dir, "events.jsonl");
        await File.WriteAllLinesAsync(input, events.Select(MesEventJson.Format));

        // Kafka unreachable: a closed privileged port (connection refused at once). Taking an embedded broker down and
        // up instead makes the mock re-bind its port, which a CI run once found taken by another socket (native abort).
        await using var edge = MeserpProcess.Start(["edge", "publish", input, "--bootstrap-servers", "127.0.0.1:1",
            "--schema-registry-url", Kafka.Registry.Url, "--outbox", Path.Combine(Dir, "outbox.db"), "--metrics-port", "0"]);
        await Eventually.TrueAsync(() => MetricsUrl().IsMatch(edge.Stderr) || edge.HasExited, TimeSpan.FromSeconds(30), "the edge prints its metrics URL");
        edge.HasExited.Should().BeFalse(edge.Stderr);
        var url = new Uri(MetricsUrl().Match(edge.Stderr).Groups[1].Value);
        using var http = new HttpClient();

        var text = string.Empty;
        await Eventually.TrueAsync(async () =>
        {
            text = await http.GetStringAsync(url);
            return Value(text, "meserpstreams_edge_meserp_edge_outbox_depth") == 40;
        }, TimeSpan.FromSeconds(30), "the outbox depth to show the 40 accepted events");
        Value(text, "meserpstreams_edge_meserp_edge_events_accepted").Should().Be(40);
        Value(text, "meserpstreams_edge_meserp_edge_events_forwarded").GetValueOrDefault().Should().Be(0);
        await Eventually.TrueAsync(async () => Value(await http.GetStringAsync(url), "meserpstreams_edge_meserp_edge_outbox_age") > 0,
            TimeSpan.FromSeconds(30), "the oldest waiting event to age");
        (await http.GetAsync(new Uri(url, "/health/live"))).IsSuccessStatusCode.Should().BeTrue();
        (await http.GetAsync(new Uri(url, "/health/ready"))).IsSuccessStatusCode.Should().BeTrue();
    }

    private static double? Value(string exposition, string series)
    {
        var m = Regex.Match(exposition, "^" + Regex.Escape(series) + @"(?:\{[^}]*\})? (\S+)$", RegexOptions.Multiline);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"metrics\.url=(\S+)")]
    private static partial Regex MetricsUrl();
}
