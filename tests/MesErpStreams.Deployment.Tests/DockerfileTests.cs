namespace MesErpStreams.Deployment.Tests;

/// <summary>The container image definition: what can be checked without a Docker engine.</summary>
public sealed class DockerfileTests
{
    private readonly DockerfileModel _dockerfile = DockerfileModel.Load();

    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_aspnet_runtime()
    {
        _dockerfile.BaseImages.Should().HaveCount(2);
        _dockerfile.BaseImages[0].Should().StartWith("mcr.microsoft.com/dotnet/sdk:10.0");
        _dockerfile.BaseImages[^1].Should().StartWith("mcr.microsoft.com/dotnet/aspnet:10.0", "the workers use the ASP.NET Core shared framework (Kestrel)");
    }

    [Fact]
    public void Publishes_the_cli_project_that_exists()
    {
        _dockerfile.PublishedProject.Should().Be("src/MesErpStreams.Cli");
        File.Exists(Repo.Path("src", "MesErpStreams.Cli", "MesErpStreams.Cli.csproj")).Should().BeTrue();
        File.ReadAllText(Repo.Path("src", "MesErpStreams.Cli", "MesErpStreams.Cli.csproj")).Should()
            .Contain("<AssemblyName>meserp</AssemblyName>", "the image links /usr/local/bin/meserp to the published apphost");
    }

    [Fact]
    public void Entrypoint_is_meserp_and_the_default_command_parses()
    {
        _dockerfile.Entrypoint.Should().Equal("meserp");
        _dockerfile.Instructions.Should().Contain(i => i.Contains("ln -s /app/meserp /usr/local/bin/meserp", StringComparison.Ordinal));
        var line = MeserpCommandLine.Of("Dockerfile CMD", _dockerfile.Cmd);
        line.Errors.Should().BeEmpty();
    }

    [Fact]
    public void Runs_as_a_non_root_user_with_a_writable_data_directory()
    {
        _dockerfile.User.Should().Be("$APP_UID", "the aspnet image's non-root user (uid 1654) which the manifests' runAsUser names");
        _dockerfile.WorkDir.Should().Be("/var/lib/meserp");
        _dockerfile.Instructions.Should().Contain("VOLUME [\"/var/lib/meserp\"]");
        _dockerfile.Instructions.Should().Contain(i => i.Contains("chown \"$APP_UID:$APP_UID\" /var/lib/meserp", StringComparison.Ordinal));
    }

    [Fact]
    public void Runtime_has_librdkafka_and_its_shared_libraries()
    {
        _dockerfile.Instructions.Should().Contain(i => i.Contains("test -f /app/librdkafka.so", StringComparison.Ordinal));
        var install = _dockerfile.Instructions.Last(i => i.Contains("apt-get install", StringComparison.Ordinal));
        foreach (var lib in new[] { "libssl3", "libsasl2-2", "libzstd1", "liblz4-1", "zlib1g", "libcurl4" })
        {
            install.Should().Contain(lib);
        }

        _dockerfile.Instructions.Should().Contain(i => i.Contains("ldd /app/librdkafka.so", StringComparison.Ordinal), "a missing shared library fails the build");
    }

    [Fact]
    public void Schemas_are_baked_into_the_image()
    {
        _dockerfile.SchemasDirectory.Should().Be("/opt/meserp/schemas");
        File.Exists(Repo.Path("schemas", "subjects.json")).Should().BeTrue();
    }

    [Fact]
    public void Build_context_keeps_what_the_build_needs()
    {
        var ignore = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var needed in new[] { "src", "src/", "schemas", "schemas/", "native", "native/", "nuget.config", "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            ignore.Should().NotContain(needed);
        }

        ignore.Should().Contain("!scripts/build-librdkafka.sh", "the image builds librdkafka with the script make setup uses");
        ignore.Should().Contain(".nuget/", "the machine's local feed (built against Debian's libraries) stays out of the image");
    }

    [Fact]
    public void Image_builds_its_librdkafka_from_source_like_make_setup()
    {
        // The official librdkafka.redist needs RHEL's libsasl2.so.3 and does not load on Debian/Ubuntu images.
        _dockerfile.Instructions.Should().Contain(i => i.Contains("scripts/build-librdkafka.sh build", StringComparison.Ordinal)
            && i.Contains("scripts/build-librdkafka.sh pack /opt/librdkafka .nuget/local-feed", StringComparison.Ordinal));
        _dockerfile.Instructions.Should().Contain(i => i.StartsWith("COPY native ", StringComparison.Ordinal), "the patches are part of the build");
        var install = _dockerfile.Instructions.First(i => i.Contains("apt-get install", StringComparison.Ordinal));
        foreach (var dev in new[] { "libsasl2-dev", "libssl-dev", "libzstd-dev", "liblz4-dev", "zlib1g-dev", "libcurl4-openssl-dev", "npm" })
        {
            install.Should().Contain(dev);
        }

        _dockerfile.Instructions.Should().Contain(i => i.Contains("build-librdkafka.sh identity", StringComparison.Ordinal) && i.Contains("/app/librdkafka.so", StringComparison.Ordinal),
            "the published library is checked to be the setup build");
    }
}
