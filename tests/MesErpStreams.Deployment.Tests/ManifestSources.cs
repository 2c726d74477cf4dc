namespace MesErpStreams.Deployment.Tests;

/// <summary>
/// The Kubernetes resources the checks run on: every overlay rendered by kustomize (when a tool is installed), and
/// always the complete resource files as committed (k8s/base and the overlays' own resources; kustomization.yaml
/// and partial *-patch.yaml files excluded), so the checks run even where nothing can render.
/// </summary>
internal static class ManifestSources
{
    public const string Files = "files";

    /// <summary>Source names: <c>files</c>, and <c>overlay:NAME</c> for each overlay when rendering is possible.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [Files, .. Kustomize.Unavailable is null ? Kustomize.Overlays.Select(o => "overlay:" + o) : []];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var n in Names)
        {
            data.Add(n);
        }

        return data;
    }

    public static IReadOnlyList<Yaml.Map> Load(string source)
    {
        if (source.StartsWith("overlay:", StringComparison.Ordinal))
        {
            return Yaml.LoadAll(Kustomize.Render(Path.Combine("k8s", "overlays", source["overlay:".Length..])));
        }

        var files = Directory.GetFiles(Repo.Path("k8s", "base"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Repo.Path("k8s", "overlays"), "*.yaml", SearchOption.AllDirectories))
            .Where(f => Path.GetFileName(f) != "kustomization.yaml" && !f.EndsWith("-patch.yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        return files.SelectMany(Yaml.LoadFile).ToList();
    }
}
