namespace MesErpStreams.Deployment.Tests;

/// <summary>Every meserp container in the manifests runs a command line meserp accepts, with settings it reads.</summary>
public sealed class KubernetesCommandLineTests
{
    public static TheoryData<string> Sources => ManifestSources.All();

    [Theory]
    [MemberData(nameof(Sources))]
    public void Every_meserp_command_line_is_accepted_by_the_parser(string source)
    {
        var containers = MeserpContainers(source);
        containers.Should().NotBeEmpty();
        foreach (var c in containers)
        {
            // The image's ENTRYPOINT is meserp: a container may only restate it.
            c.Container.ListAt("command").Should().BeSubsetOf(["meserp"], $"{c.Name} must keep the image's meserp entrypoint");
            c.Args.Should().NotBeEmpty($"{c.Name} must name a meserp command");
            var line = c.CommandLine;
            line.Errors.Should().BeEmpty($"`{line}` must parse");
            line.CommandPath.Should().NotBeEmpty($"`{line}` must run a sub-command, not the root");
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Environment_variables_are_ones_the_command_reads(string source)
    {
        var resources = ManifestSources.Load(source);
        var problems = new List<string>();
        foreach (var c in MeserpContainers(source))
        {
            var command = c.CommandLine.CommandPath;
            foreach (var (name, value, from) in c.Environment(resources))
            {
                if (EnvironmentContract.Check(command, name, value) is { } problem)
                {
                    problems.Add($"{c.Name} ({from}): {problem}");
                }
            }
        }

        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Each_workers_configuration_binds_and_validates_as_at_start(string source)
    {
        var resources = ManifestSources.Load(source);
        foreach (var c in MeserpContainers(source))
        {
            var environment = c.Environment(resources).Select(e => (e.Name, e.Value)).ToList();
            WorkerConfiguration.Check(c.CommandLine, environment).Should().BeNull($"{c.Name} must start with this configuration");
        }
    }

    [Fact]
    public void ConfigMap_literals_in_overlays_are_settings_their_workers_read()
    {
        // configMapGenerator literals merge into the base ConfigMaps; checked here without rendering.
        var readers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["meserp-process"] = "process",
            ["meserp-sink"] = "sink",
            ["meserp-edge"] = "edge simulate",
        };
        var problems = new List<string>();
        foreach (var file in Directory.GetFiles(Repo.Path("k8s", "overlays"), "kustomization.yaml", SearchOption.AllDirectories))
        {
            foreach (var gen in Yaml.LoadFile(file)[0].MapsAt("configMapGenerator"))
            {
                var name = gen.StringAt("name") ?? "";
                readers.Should().ContainKey(name, $"{file}: a generated ConfigMap must belong to a known worker");
                foreach (var literal in gen.ListAt("literals").OfType<string>())
                {
                    var eq = literal.IndexOf('=', StringComparison.Ordinal);
                    if (EnvironmentContract.Check(readers[name], literal[..eq], literal[(eq + 1)..]) is { } problem)
                    {
                        problems.Add($"{file} {name}: {problem}");
                    }
                }
            }
        }

        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Credentials_are_referenced_from_secrets_never_written_in_the_repository(string source)
    {
        var resources = ManifestSources.Load(source);
        resources.Where(r => r.Kind == "Secret").Should().BeEmpty("Secrets are created out of band; manifests only reference them by name");
        foreach (var c in WorkloadContainer.In(source, resources))
        {
            foreach (var (name, value, from) in c.Environment(resources))
            {
                if (IsCredential(name))
                {
                    from.Should().Be("env valueFrom", $"{c.Name}: {name} is a credential and must come from a secretKeyRef");
                    c.Env.Single(e => e.StringAt("name") == name).MapAt("valueFrom", "secretKeyRef").Should()
                        .NotBeNull($"{c.Name}: {name} must come from a Secret");
                    value.Should().BeNull();
                }
            }
        }

        foreach (var config in resources.Where(r => r.Kind == "ConfigMap"))
        {
            foreach (var key in config.MapAt("data")?.Values.Keys ?? [])
            {
                IsCredential(key).Should().BeFalse($"{source}: ConfigMap {config.Name} must not carry the credential {key}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Files_the_commands_write_are_on_mounted_volumes(string source)
    {
        string[] pathOptions = ["--state-dir", "--ledger", "--outbox", "--summary-json"];
        foreach (var c in MeserpContainers(source))
        {
            var mounts = c.VolumeMounts.Where(m => m.StringAt("readOnly") != "true").Select(m => m.StringAt("mountPath")!).ToList();
            foreach (var option in pathOptions)
            {
                if (c.CommandLine.Option(option) is { } path)
                {
                    path.Should().StartWith("/", $"{c.Name}: {option} must be absolute (the working directory is the image's)");
                    mounts.Should().Contain(m => path.StartsWith(m.TrimEnd('/') + "/", StringComparison.Ordinal),
                        $"{c.Name}: {option} {path} must lie on a writable volume (the root filesystem is read-only)");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Schema_directory_is_where_the_image_puts_the_schemas(string source)
    {
        foreach (var c in MeserpContainers(source).Where(c => c.CommandLine.CommandPath.StartsWith("schemas", StringComparison.Ordinal)))
        {
            c.CommandLine.Option("--schemas-dir").Should().Be(DockerfileModel.Load().SchemasDirectory, $"{c.Name} reads the schemas baked into the image");
        }
    }

    // The setting's own name (after the last section separator) says password, secret, user info or token.
    internal static bool IsCredential(string name)
    {
        var last = name[(name.LastIndexOf("__", StringComparison.Ordinal) + 1)..].ToUpperInvariant();
        return last.Contains("PASSWORD", StringComparison.Ordinal) || last.Contains("SECRET", StringComparison.Ordinal)
            || last.Contains("USERINFO", StringComparison.Ordinal) || last.Contains("CREDENTIAL", StringComparison.Ordinal)
            || last.EndsWith("TOKEN", StringComparison.Ordinal);
    }

    internal static IReadOnlyList<WorkloadContainer> MeserpContainers(string source) =>
        WorkloadContainer.In(source, ManifestSources.Load(source)).Where(c => c.IsMeserp).ToList();
}
