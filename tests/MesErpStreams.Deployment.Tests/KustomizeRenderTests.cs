namespace MesErpStreams.Deployment.Tests;

/// <summary>Each overlay renders with kustomize (skipped, with the reason, where no kubectl/kustomize is installed).</summary>
public sealed class KustomizeRenderTests
{
    public static TheoryData<string> Overlays => MonitoringManifestTests.Overlays;

    [Fact]
    public void Dev_prod_and_plant_overlays_exist() =>
        Kustomize.Overlays.Should().Contain(["dev", "prod", "plant"]);

    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void Overlay_renders(string overlay)
    {
        Skip.If(Kustomize.Unavailable is not null, Kustomize.Unavailable);
        var resources = Yaml.LoadAll(Kustomize.Render(Path.Combine("k8s", "overlays", overlay)));
        resources.Should().NotBeEmpty();
        resources.Should().OnlyContain(r => r.StringAt("metadata", "namespace") != null || r.Kind == "Namespace",
            $"{overlay} sets the namespace of every resource");
        var commands = WorkloadContainer.In($"overlay:{overlay}", resources).Where(c => c.IsMeserp).Select(c => c.CommandLine.CommandPath).ToList();
        var expected = overlay switch
        {
            "dev" => ["process", "sink", "edge simulate", "erp-sim", "schemas register"],
            "plant" => ["edge simulate"],
            _ => new[] { "process", "sink" },
        };
        commands.Should().BeEquivalentTo(expected, $"{overlay} runs these meserp roles");
    }

    [SkippableFact]
    public void Base_and_monitoring_kustomizations_render()
    {
        Skip.If(Kustomize.Unavailable is not null, Kustomize.Unavailable);
        foreach (var dir in new[] { "k8s/base", "k8s/base/edge", "k8s/topics", "k8s/monitoring" })
        {
            Yaml.LoadAll(Kustomize.Render(dir)).Should().NotBeEmpty(dir);
        }
    }
}
