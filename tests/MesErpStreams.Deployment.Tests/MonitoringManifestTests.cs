using MesErpStreams.Kafka.Catalog;

namespace MesErpStreams.Deployment.Tests;

/// <summary>PodMonitor, PrometheusRule, dashboards and topics in the manifests agree with their sources.</summary>
public sealed class MonitoringManifestTests
{
    private static readonly string DashboardsDir = Repo.Path("k8s", "monitoring", "dashboards");

    public static TheoryData<string> Sources => ManifestSources.All();

    public static TheoryData<string> Overlays
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var o in Kustomize.Overlays)
            {
                data.Add(o);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void PodMonitor_scrapes_every_metrics_port_with_a_meserp_job_name(string source)
    {
        var resources = ManifestSources.Load(source);
        var monitors = resources.Where(r => r.Kind == "PodMonitor").ToList();
        foreach (var c in KubernetesCommandLineTests.MeserpContainers(source).Where(c => c.CommandLine.MetricsPort is not null))
        {
            var selecting = monitors.Where(m => KubernetesWorkloadTests.SelectorSelects(m.MapAt("spec", "selector"), c.Labels)).ToList();
            selecting.Should().ContainSingle($"{c.Name} serves /metrics and must be scraped exactly once");
            var monitor = selecting[0];
            var endpoints = monitor.MapsAt("spec", "podMetricsEndpoints").ToList();
            endpoints.Should().Contain(e => e.StringAt("port") == "metrics" && e.StringAt("path") == "/metrics", $"{monitor} scrapes the metrics port");
            var jobLabel = monitor.StringAt("spec", "jobLabel");
            jobLabel.Should().NotBeNull();
            c.Labels.StringAt(jobLabel!).Should().StartWith("meserp", $"{c.Name}: the alert rules match job=~\"meserp.*\"");
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void PrometheusRule_carries_exactly_the_alert_rules(string source)
    {
        var alerts = Yaml.LoadFile(Repo.Path("k8s", "monitoring", "alerts", "meserp-alerts.yaml"))[0]["groups"];
        var rules = ManifestSources.Load(source).Where(r => r.Kind == "PrometheusRule").ToList();
        if (source == ManifestSources.Files || rules.Count > 0 || source.EndsWith(":prod", StringComparison.Ordinal) || source.EndsWith(":dev", StringComparison.Ordinal))
        {
            rules.Should().ContainSingle($"{source}: one PrometheusRule with the alert rules");
            Yaml.DeepEquals(rules[0].At("spec", "groups"), alerts).Should().BeTrue(
                $"{rules[0]} spec.groups must equal k8s/monitoring/alerts/meserp-alerts.yaml's groups: regenerate k8s/base/monitoring/prometheusrule.yaml (see PrometheusRule_file_is_generated_from_the_alert_rules)");
        }
    }

    [Fact]
    public void PrometheusRule_file_is_generated_from_the_alert_rules()
    {
        var expected = PrometheusRuleFile.Render(File.ReadAllText(PrometheusRuleFile.AlertsPath));
        if (Environment.GetEnvironmentVariable(PrometheusRuleFile.UpdateVariable) == "1")
        {
            File.WriteAllText(PrometheusRuleFile.CommittedPath, expected);
        }

        File.ReadAllText(PrometheusRuleFile.CommittedPath).ReplaceLineEndings("\n").Should().Be(expected,
            $"k8s/base/monitoring/prometheusrule.yaml must carry k8s/monitoring/alerts/meserp-alerts.yaml: regenerate it with `{PrometheusRuleFile.UpdateVariable}=1 dotnet test tests/MesErpStreams.Deployment.Tests -c Release`");
    }

    [Fact]
    public void Dashboard_configmap_generator_lists_every_dashboard_file()
    {
        var kustomization = Yaml.LoadFile(Repo.Path("k8s", "monitoring", "kustomization.yaml"))[0];
        var generator = kustomization.MapsAt("configMapGenerator").Single(g => g.StringAt("options", "labels", "grafana_dashboard") == "1");
        var listed = generator.ListAt("files").OfType<string>().Select(f => f.Split('=')[^1]).Order(StringComparer.Ordinal);
        var present = Directory.GetFiles(DashboardsDir, "*.json").Select(f => "dashboards/" + Path.GetFileName(f)).Order(StringComparer.Ordinal);
        listed.Should().Equal(present, "k8s/monitoring/kustomization.yaml must list exactly the dashboards in k8s/monitoring/dashboards");
    }

    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void Rendered_dashboard_configmaps_hold_exactly_the_dashboard_files(string overlay)
    {
        Skip.If(Kustomize.Unavailable is not null, Kustomize.Unavailable);
        var resources = Yaml.LoadAll(Kustomize.Render(Path.Combine("k8s", "overlays", overlay)));
        var dashboards = resources.Where(r => r.Kind == "ConfigMap" && r.StringAt("metadata", "labels", "grafana_dashboard") == "1").ToList();
        if (overlay == "plant")
        {
            return; // The plant side runs no Grafana of its own: dashboards live with the central monitoring.
        }

        var data = dashboards.SelectMany(d => d.MapAt("data")!.Values).ToDictionary(kv => kv.Key, kv => kv.Value as string);
        var files = Directory.GetFiles(DashboardsDir, "*.json").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        data.Keys.Should().BeEquivalentTo(files.Keys, $"{overlay}: the dashboards ConfigMaps must hold exactly k8s/monitoring/dashboards");
        foreach (var (name, text) in files)
        {
            data[name].Should().Be(text, $"{overlay}: {name} must be the file's content");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void Rendered_kafka_topics_are_the_catalog_with_its_partitions(string overlay)
    {
        Skip.If(Kustomize.Unavailable is not null, Kustomize.Unavailable);
        var topics = Yaml.LoadAll(Kustomize.Render(Path.Combine("k8s", "overlays", overlay))).Where(r => r.Kind == "KafkaTopic").ToList();
        if (overlay == "plant")
        {
            topics.Should().BeEmpty("topics belong to the central cluster");
            return;
        }

        topics.Select(t => t.StringAt("spec", "topicName")).Should().BeEquivalentTo(TopicCatalog.Default.Topics.Select(t => t.Name));
        foreach (var t in topics)
        {
            var spec = TopicCatalog.Default[t.StringAt("spec", "topicName")!];
            t.StringAt("spec", "partitions").Should().Be(spec.Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{overlay}: overlays must not change partition counts (keys would move between partitions)");
            t.StringAt("spec", "config", "cleanup.policy").Should().Be(spec.CleanupPolicy);
            t.StringAt("spec", "config", "retention.ms").Should().Be(spec.RetentionMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
