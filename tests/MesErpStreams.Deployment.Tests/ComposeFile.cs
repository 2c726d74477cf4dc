namespace MesErpStreams.Deployment.Tests;

/// <summary>docker-compose.kafka.yml as a tree, with its meserp services' command lines.</summary>
internal sealed class ComposeFile
{
    private ComposeFile(Yaml.Map root) => Root = root;

    public static string FileName => "docker-compose.kafka.yml";

    public Yaml.Map Root { get; }

    public IReadOnlyDictionary<string, Yaml.Map> Services =>
        (Root.MapAt("services")?.Values ?? new Dictionary<string, object?>()).ToDictionary(kv => kv.Key, kv => (Yaml.Map)kv.Value!, StringComparer.Ordinal);

    /// <summary>Services running the meserp image (built from the Dockerfile, whose ENTRYPOINT is meserp).</summary>
    public IEnumerable<(string Name, Yaml.Map Service, MeserpCommandLine Line)> MeserpServices =>
        Services.Where(s => WorkloadContainer.ImageName(s.Value.StringAt("image") ?? "") == "meserp")
            .Select(s => (s.Key, s.Value, MeserpCommandLine.Of($"{FileName} service {s.Key}", s.Value.ListAt("command").Select(a => a as string ?? "").ToList())));

    public static ComposeFile Load() => new(Yaml.LoadFile(Repo.Path(FileName))[0]);

    /// <summary>The environment of a service as name → value (list or mapping form).</summary>
    public static IReadOnlyDictionary<string, string?> Environment(Yaml.Map service)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (service["environment"])
        {
            case Yaml.Map map:
                foreach (var (k, v) in map.Values)
                {
                    result[k] = v as string;
                }

                break;
            case List<object?> list:
                foreach (var item in list.OfType<string>())
                {
                    var eq = item.IndexOf('=', StringComparison.Ordinal);
                    result[eq < 0 ? item : item[..eq]] = eq < 0 ? null : item[(eq + 1)..];
                }

                break;
        }

        return result;
    }
}
