using MesErpStreams.Sink;
using MesErpStreams.Pipeline.Hosting;

namespace MesErpStreams.Deployment.Tests;

/// <summary>Ports, probes, security and lifecycle of the meserp workloads.</summary>
public sealed class KubernetesWorkloadTests
{
    public static TheoryData<string> Sources => ManifestSources.All();

    [Theory]
    [MemberData(nameof(Sources))]
    public void Metrics_port_probes_and_bind_address_match_the_command_line(string source)
    {
        foreach (var c in KubernetesCommandLineTests.MeserpContainers(source))
        {
            var line = c.CommandLine;
            var probes = new[] { "livenessProbe", "readinessProbe", "startupProbe" }
                .Select(p => (Name: p, Probe: c.Container.MapAt(p))).Where(p => p.Probe is not null).ToList();
            if (line.MetricsPort is not { } port)
            {
                probes.Should().BeEmpty($"{c.Name} serves no HTTP endpoint without --metrics-port");
                c.Ports.Should().NotContain(p => p.StringAt("name") == "metrics");
                continue;
            }

            line.Option("--metrics-host").Should().Be("0.0.0.0", $"{c.Name}: the default 127.0.0.1 is unreachable for probes and Prometheus");
            var metrics = c.Ports.Where(p => p.StringAt("name") == "metrics").ToList();
            metrics.Should().ContainSingle($"{c.Name} must name its metrics port `metrics` (PodMonitor, probes)");
            metrics[0].StringAt("containerPort").Should().Be(port.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{c.Name}: containerPort must be the --metrics-port");

            c.Container.MapAt("livenessProbe").Should().NotBeNull($"{c.Name} needs a liveness probe");
            c.Container.MapAt("readinessProbe").Should().NotBeNull($"{c.Name} needs a readiness probe");
            foreach (var (name, probe) in probes)
            {
                var get = probe!.MapAt("httpGet");
                get.Should().NotBeNull($"{c.Name} {name} uses the HTTP health endpoints");
                get!.StringAt("port").Should().BeOneOf(["metrics", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], $"{c.Name} {name}");
                get.StringAt("path").Should().Be(name == "readinessProbe" ? "/health/ready" : "/health/live", $"{c.Name} {name}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Meserp_containers_run_non_root_read_only_without_capabilities(string source)
    {
        foreach (var c in KubernetesCommandLineTests.MeserpContainers(source))
        {
            var pod = c.PodSpec.MapAt("securityContext");
            var own = c.Container.MapAt("securityContext");
            own.Should().NotBeNull(c.Name);
            (own?.StringAt("runAsNonRoot") ?? pod?.StringAt("runAsNonRoot")).Should().Be("true", c.Name);
            (own?.StringAt("runAsUser") ?? pod?.StringAt("runAsUser")).Should().Be("1654", $"{c.Name}: the image's user (APP_UID)");
            own!.StringAt("readOnlyRootFilesystem").Should().Be("true", c.Name);
            own.StringAt("allowPrivilegeEscalation").Should().Be("false", c.Name);
            own.ListAt("capabilities", "drop").Should().Equal(["ALL"], c.Name);
            c.VolumeMounts.Should().Contain(m => m.StringAt("mountPath") == "/tmp", $"{c.Name}: .NET needs a writable /tmp with a read-only root");
            c.PodSpec.StringAt("automountServiceAccountToken").Should().Be("false", $"{c.Name} needs no Kubernetes API token");
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Containers_have_resource_requests_and_limits(string source)
    {
        foreach (var c in WorkloadContainer.In(source, ManifestSources.Load(source)))
        {
            (c.Container.MapAt("resources", "requests")?.Values.Keys ?? []).Should().Contain(["cpu", "memory"], c.Name);
            (c.Container.MapAt("resources", "limits")?.Values.Keys ?? []).Should().Contain("memory", c.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Workers_get_a_grace_period_longer_than_a_commit_or_drain(string source)
    {
        foreach (var c in KubernetesCommandLineTests.MeserpContainers(source).Where(c => c.Workload.Kind == "Deployment"))
        {
            var grace = int.Parse(c.PodSpec.StringAt("terminationGracePeriodSeconds") ?? "30", System.Globalization.CultureInfo.InvariantCulture);
            var needed = c.CommandLine.CommandPath switch
            {
                // The open transaction is committed or aborted within the Kafka operation timeout.
                "process" => StreamizPipelineOptions.DefaultTransactionTimeout + StreamizPipelineOptions.DefaultCommitInterval,
                // In-flight ERP calls drain, then their outcomes are flushed: each bounded by the drain timeout.
                "sink" => new ErpSinkOptions().DrainTimeout * 2,
                _ => TimeSpan.Zero,
            };
            TimeSpan.FromSeconds(grace).Should().BeGreaterThan(needed, $"{c.Name} must be allowed to finish its {c.CommandLine.CommandPath} shutdown");
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Process_and_sink_have_disruption_budgets_selecting_their_pods(string source)
    {
        var resources = ManifestSources.Load(source);
        var pdbs = resources.Where(r => r.Kind == "PodDisruptionBudget").ToList();
        foreach (var c in KubernetesCommandLineTests.MeserpContainers(source).Where(c => c.CommandLine.CommandPath is "process" or "sink"))
        {
            pdbs.Should().Contain(p => Selects(p.MapAt("spec", "selector", "matchLabels"), c.Labels), $"{c.Name} needs a PodDisruptionBudget");
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Deployment_selectors_match_their_pod_labels(string source)
    {
        foreach (var d in ManifestSources.Load(source).Where(r => r.Kind == "Deployment"))
        {
            Selects(d.MapAt("spec", "selector", "matchLabels"), d.MapAt("spec", "template", "metadata", "labels")).Should().BeTrue($"{source}: {d}");
        }
    }

    /// <summary>True when a label selector's matchLabels (<paramref name="selector"/>) select <paramref name="labels"/>.</summary>
    internal static bool Selects(Yaml.Map? selector, Yaml.Map? labels) =>
        selector is not null && labels is not null && selector.Values.Count > 0
        && selector.Values.All(kv => labels.Values.TryGetValue(kv.Key, out var v) && Equals(v, kv.Value));

    /// <summary>True when a full label selector (matchLabels and matchExpressions) selects <paramref name="labels"/>.</summary>
    internal static bool SelectorSelects(Yaml.Map? selector, Yaml.Map labels)
    {
        if (selector is null || !Selects(selector.MapAt("matchLabels"), labels))
        {
            return false;
        }

        return selector.MapsAt("matchExpressions").All(e =>
        {
            var has = labels.Values.TryGetValue(e.StringAt("key")!, out var value);
            var values = e.ListAt("values").OfType<string>();
            return e.StringAt("operator") switch
            {
                "In" => has && values.Contains(value as string),
                "NotIn" => !has || !values.Contains(value as string),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => throw new InvalidOperationException($"unknown selector operator {e.StringAt("operator")}"),
            };
        });
    }
}
