namespace MesErpStreams.Deployment.Tests;

/// <summary>A container of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob) in a manifest source.</summary>
internal sealed record WorkloadContainer(string Source, Yaml.Map Workload, Yaml.Map PodSpec, Yaml.Map Container)
{
    public string Name => $"{Source}: {Workload}/{Container.StringAt("name")}";

    public string Image => Container.StringAt("image") ?? "";

    /// <summary>True for the meserp image (any registry and tag): its ENTRYPOINT is meserp.</summary>
    public bool IsMeserp => ImageName(Image) == "meserp";

    public IReadOnlyList<string> Args => Container.ListAt("args").Select(a => a as string ?? "").ToList();

    public MeserpCommandLine CommandLine => MeserpCommandLine.Of(Name, Args);

    public IEnumerable<Yaml.Map> Env => Container.MapsAt("env");

    public IEnumerable<Yaml.Map> Ports => Container.MapsAt("ports");

    public IEnumerable<Yaml.Map> VolumeMounts => Container.MapsAt("volumeMounts");

    public Yaml.Map Labels => PodSpecOwner.MapAt("metadata", "labels") ?? new Yaml.Map([]);

    /// <summary>The pod template (its metadata carries the pod labels).</summary>
    public Yaml.Map PodSpecOwner { get; init; } = new([]);

    /// <summary>Environment variables with their literal value (null when from a Secret or field), envFrom ConfigMaps expanded.</summary>
    public IReadOnlyList<(string Name, string? Value, string From)> Environment(IReadOnlyList<Yaml.Map> resources)
    {
        var result = new List<(string, string?, string)>();
        foreach (var from in Container.MapsAt("envFrom"))
        {
            if (from.StringAt("configMapRef", "name") is { } cm)
            {
                var map = resources.FirstOrDefault(r => r.Kind == "ConfigMap" && r.Name == cm)
                    ?? throw new InvalidOperationException($"{Name}: envFrom ConfigMap {cm} is not in {Source}");
                foreach (var (k, v) in map.MapAt("data")?.Values ?? new Dictionary<string, object?>())
                {
                    result.Add((k, v as string ?? "", $"ConfigMap {cm}"));
                }
            }

            if (from.StringAt("secretRef", "name") is { } secret)
            {
                throw new InvalidOperationException($"{Name}: envFrom Secret {secret} hides which variables it sets; use env with secretKeyRef");
            }
        }

        foreach (var e in Env)
        {
            result.Add((e.StringAt("name") ?? "", e.StringAt("value"), e.MapAt("valueFrom") is null ? "env" : "env valueFrom"));
        }

        return result;
    }

    public static string ImageName(string image)
    {
        var noDigest = image.Split('@')[0];
        var lastSlash = noDigest.LastIndexOf('/');
        var colon = noDigest.LastIndexOf(':');
        var name = colon > lastSlash ? noDigest[..colon] : noDigest;
        return name[(lastSlash + 1)..];
    }

    public static IReadOnlyList<WorkloadContainer> In(string source, IReadOnlyList<Yaml.Map> resources)
    {
        var result = new List<WorkloadContainer>();
        foreach (var r in resources)
        {
            var template = r.Kind switch
            {
                "Deployment" or "StatefulSet" or "DaemonSet" or "Job" => r.MapAt("spec", "template"),
                "CronJob" => r.MapAt("spec", "jobTemplate", "spec", "template"),
                _ => null,
            };
            if (template?.MapAt("spec") is not { } pod)
            {
                continue;
            }

            foreach (var c in pod.MapsAt("initContainers").Concat(pod.MapsAt("containers")))
            {
                result.Add(new WorkloadContainer(source, r, pod, c) { PodSpecOwner = template });
            }
        }

        return result;
    }
}
