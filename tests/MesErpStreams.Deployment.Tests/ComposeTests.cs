namespace MesErpStreams.Deployment.Tests;

/// <summary>docker-compose.kafka.yml: command lines, settings, ports, health checks and start order.</summary>
public sealed class ComposeTests
{
    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void Runs_kafka_registry_monitoring_and_every_worker()
    {
        _compose.Services.Keys.Should().Contain(["kafka", "schema-registry", "prometheus", "grafana", "topics", "schemas", "erp-sim", "process", "sink", "edge"]);
        _compose.Services["kafka"].StringAt("image").Should().StartWith("apache/kafka:");
        ComposeFile.Environment(_compose.Services["kafka"])["KAFKA_PROCESS_ROLES"].Should().Be("broker,controller", "KRaft, no ZooKeeper");
        _compose.Services["schema-registry"].StringAt("image").Should().StartWith("confluentinc/cp-schema-registry:");
        _compose.MeserpServices.Select(s => s.Line.CommandPath).Should()
            .Contain(["topics apply", "schemas register", "erp-sim", "process", "sink", "edge simulate"]);
        _compose.Services["topics"].StringAt("build").Should().Be(".", "the meserp image is built from the repository's Dockerfile");
    }

    [Fact]
    public void Every_meserp_command_line_is_accepted_by_the_parser()
    {
        foreach (var (_, _, line) in _compose.MeserpServices)
        {
            line.Errors.Should().BeEmpty($"`{line}` must parse");
            line.CommandPath.Should().NotBeEmpty();
        }
    }

    [Fact]
    public void Environment_variables_of_meserp_services_are_ones_they_read()
    {
        var problems = new List<string>();
        foreach (var (name, service, line) in _compose.MeserpServices)
        {
            foreach (var (variable, value) in ComposeFile.Environment(service))
            {
                // ${VAR:-} interpolations come from the user's environment: check the name only.
                var literal = value is not null && value.Contains("${", StringComparison.Ordinal) ? null : value;
                if (EnvironmentContract.Check(line.CommandPath, variable, literal) is { } problem)
                {
                    problems.Add($"{name}: {problem}");
                }
            }
        }

        problems.Should().BeEmpty();
    }

    [Fact]
    public void Each_workers_configuration_binds_and_validates_as_at_start()
    {
        foreach (var (name, service, line) in _compose.MeserpServices)
        {
            var environment = ComposeFile.Environment(service).Select(kv => (kv.Key, kv.Value)).ToList();
            WorkerConfiguration.Check(line, environment).Should().BeNull($"{name} must start with this configuration");
        }
    }

    [Fact]
    public void Health_checks_and_scrape_targets_use_each_workers_metrics_port()
    {
        var prometheus = Yaml.LoadFile(Repo.Path("deploy", "compose", "prometheus", "prometheus.yml"))[0];
        var targets = prometheus.MapsAt("scrape_configs")
            .SelectMany(j => j.MapsAt("static_configs").SelectMany(s => s.ListAt("targets").OfType<string>()).Select(t => (Job: j.StringAt("job_name")!, Target: t)))
            .ToList();
        foreach (var (name, service, line) in _compose.MeserpServices.Where(s => s.Line.MetricsPort is not null))
        {
            var port = line.MetricsPort!.Value;
            line.Option("--metrics-host").Should().Be("0.0.0.0", $"{name}: Prometheus in another container must reach the endpoint");
            var test = service.ListAt("healthcheck", "test").OfType<string>().ToList();
            test.Should().Contain($"http://127.0.0.1:{port}/health/ready", $"{name}: health check on the readiness endpoint of --metrics-port");
            targets.Should().Contain(t => t.Target == $"{name}:{port}", $"{name} is scraped on its --metrics-port");
            targets.Single(t => t.Target == $"{name}:{port}").Job.Should().StartWith("meserp-", "the alert rules match job=~\"meserp.*\"");
        }

        foreach (var (job, target) in targets)
        {
            var host = target.Split(':')[0];
            _compose.MeserpServices.Should().Contain(s => s.Name == host && $"{s.Name}:{s.Line.MetricsPort}" == target, $"scrape target {target} of {job} must be a worker's metrics endpoint");
        }
    }

    [Fact]
    public void Start_order_waits_for_health_and_one_shot_jobs()
    {
        var services = _compose.Services;
        foreach (var (name, service) in services)
        {
            foreach (var (dependency, spec) in service.MapAt("depends_on")?.Values ?? new Dictionary<string, object?>())
            {
                services.Should().ContainKey(dependency, $"{name} depends on it");
                var condition = (spec as Yaml.Map)?.StringAt("condition");
                condition.Should().BeOneOf(["service_healthy", "service_completed_successfully"], $"{name} -> {dependency}");
                if (condition == "service_healthy")
                {
                    services[dependency].MapAt("healthcheck").Should().NotBeNull($"{dependency} needs a health check for {name} to wait on");
                }
                else
                {
                    services[dependency].StringAt("restart").Should().Be("no", $"{dependency} is a one-shot job");
                }
            }
        }

        services["topics"].MapAt("depends_on", "kafka")!.StringAt("condition").Should().Be("service_healthy");
        services["process"].MapAt("depends_on", "schemas")!.StringAt("condition").Should().Be("service_completed_successfully");
        services["sink"].MapAt("depends_on", "erp-sim")!.StringAt("condition").Should().Be("service_healthy");
    }

    [Fact]
    public void Bootstrap_and_registry_addresses_are_services_of_the_file()
    {
        foreach (var (name, _, line) in _compose.MeserpServices)
        {
            if (line.Option("--bootstrap-servers") is { } bootstrap)
            {
                bootstrap.Should().Be("kafka:9092", $"{name}: the broker's in-network PLAINTEXT listener");
            }

            if (line.Option("--schema-registry-url") is { } registry)
            {
                registry.Should().Be("http://schema-registry:8081", name);
            }

            if (line.Option("--erp-url") is { } erp)
            {
                var sim = _compose.MeserpServices.Single(s => s.Line.CommandPath == "erp-sim").Line;
                erp.Should().Be($"http://erp-sim:{sim.Option("--port")}/", name);
                sim.Option("--host").Should().Be("0.0.0.0");
            }
        }
    }

    [Fact]
    public void Mounted_monitoring_assets_exist_where_the_services_expect_them()
    {
        var volumes = _compose.Services.SelectMany(s => s.Value.ListAt("volumes").OfType<string>().Select(v => (Service: s.Key, Parts: v.Split(':')))).ToList();
        foreach (var (service, parts) in volumes.Where(v => v.Parts[0].StartsWith("./", StringComparison.Ordinal)))
        {
            Path.Exists(Repo.Path(parts[0][2..])).Should().BeTrue($"{service} mounts {parts[0]}");
        }

        volumes.Should().Contain(v => v.Service == "grafana" && v.Parts[0] == "./k8s/monitoring/dashboards", "Grafana shows the repository's dashboards");
        var provider = Yaml.LoadFile(Repo.Path("deploy", "compose", "grafana", "provisioning", "dashboards", "meserp.yml"))[0];
        var dashboardsMount = volumes.Single(v => v.Service == "grafana" && v.Parts[0] == "./k8s/monitoring/dashboards").Parts[1];
        provider.MapsAt("providers").Single().StringAt("options", "path").Should().Be(dashboardsMount);

        var prometheus = Yaml.LoadFile(Repo.Path("deploy", "compose", "prometheus", "prometheus.yml"))[0];
        var rulesMount = volumes.Single(v => v.Service == "prometheus" && v.Parts[0] == "./k8s/monitoring/alerts/meserp-alerts.yaml").Parts[1];
        prometheus.ListAt("rule_files").Should().Equal([rulesMount], "Prometheus loads the repository's alert rules");
    }

    [Fact]
    public void Files_the_workers_write_are_on_volumes()
    {
        foreach (var (name, service, line) in _compose.MeserpServices)
        {
            var mounts = service.ListAt("volumes").OfType<string>().Select(v => v.Split(':')[1]).ToList();
            foreach (var option in new[] { "--state-dir", "--ledger", "--outbox" })
            {
                if (line.Option(option) is { } path)
                {
                    mounts.Should().Contain(m => path.StartsWith(m + "/", StringComparison.Ordinal), $"{name}: {option} {path} must be on a volume");
                }
            }
        }
    }
}
