using System.Globalization;
using System.Text.RegularExpressions;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Edge.IntegrationTests;

/// <summary>`meserp edge publish --metrics-port 0`: the outbox is visible on /metrics while Kafka is down, and empties when it is back.</summary>
public sealed partial class EdgeMetricsTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "meserp-edge-metrics-" + Guid.NewGuid().ToString("N"));
    private EdgeCluster _kafka = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _kafka = await EdgeCluster.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _kafka.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Outbox_depth_and_age_are_served_on_metrics_while_kafka_is_down()
    {
        var events = EdgeCluster.SampleEvents(40);
        var input = Path.Combine(_dir, "events.jsonl");
        await File.WriteAllLinesAsync(input, events.Select(MesEventJson.Format));
        _kafka.Cluster.SetBrokerDown(1);
        try
        {
            await using var edge = MeserpProcess.Start(["edge", "publish", input, "--bootstrap-servers", _kafka.Cluster.BootstrapServers,
                "--schema-registry-url", _kafka.Registry.Url, "--outbox", Path.Combine(_dir, "outbox.db"), "--metrics-port", "0"]);
            await Eventually.TrueAsync(() => MetricsUrl().IsMatch(edge.Stderr) || edge.HasExited, TimeSpan.FromSeconds(30), "the edge prints its metrics URL");
            edge.HasExited.Should().BeFalse(edge.Stderr);
            var url = new Uri(MetricsUrl().Match(edge.Stderr).Groups[1].Value);
            using var http = new HttpClient();

            var text = string.Empty;
            await Eventually.TrueAsync(async () =>
            {
                text = await http.GetStringAsync(url);
                return Value(text, "meserp_edge_outbox_depth") == 40;
            }, TimeSpan.FromSeconds(30), "the outbox depth to show the 40 accepted events");
            Value(text, "meserp_edge_events_accepted_total").Should().Be(40);
            text.Should().Contain("# TYPE meserp_edge_outbox_age_seconds gauge");
            (await http.GetAsync(new Uri(url, "/health/live"))).IsSuccessStatusCode.Should().BeTrue();

            _kafka.Cluster.SetBrokerUp(1);
            await Eventually.TrueAsync(async () => Value(await http.GetStringAsync(url), "meserp_edge_outbox_depth") == 0,
                TimeSpan.FromSeconds(60), "the outbox to drain once Kafka is back");
            Value(await http.GetStringAsync(url), "meserp_edge_events_forwarded_total").Should().Be(40);
        }
        finally
        {
            _kafka.Cluster.SetBrokerUp(1);
        }
    }

    private static double? Value(string exposition, string series)
    {
        var m = Regex.Match(exposition, "^" + Regex.Escape(series) + @"(?:\{[^}]*\})? (\S+)$", RegexOptions.Multiline);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"metrics\.url=(\S+)")]
    private static partial Regex MetricsUrl();
}
