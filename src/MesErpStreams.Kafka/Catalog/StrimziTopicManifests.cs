using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MesErpStreams.Kafka.Catalog;

/// <summary>
/// Renders the topic catalog as Strimzi <c>KafkaTopic</c> resources (<c>kafka.strimzi.io/v1beta2</c>), one YAML
/// document per topic in catalog order, so the Kubernetes topic manifests are generated from the same single source
/// as <c>meserp topics apply</c>. The output is deterministic: the committed manifest is compared with it in tests.
/// </summary>
public static partial class StrimziTopicManifests
{
    /// <summary>Default value of the <c>strimzi.io/cluster</c> label: the name of the Strimzi <c>Kafka</c> resource.</summary>
    public const string DefaultClusterName = "meserp-kafka";

    /// <summary>The command that regenerates the committed manifest (used in headers and test messages).</summary>
    public const string RegenerateCommand = "meserp topics strimzi --out k8s/topics/kafka-topics.yaml";

    /// <summary>Renders every topic of <paramref name="catalog"/> for the cluster <see cref="DefaultClusterName"/>.</summary>
    /// <exception cref="TopicCatalogException">Two topics map to the same Kubernetes resource name.</exception>
    public static string Render(TopicCatalog catalog) => Render(catalog, DefaultClusterName);

    /// <summary>Renders every topic of <paramref name="catalog"/> for the Strimzi cluster <paramref name="clusterName"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="clusterName"/> is not a valid Kubernetes label value.</exception>
    /// <exception cref="TopicCatalogException">Two topics map to the same Kubernetes resource name.</exception>
    public static string Render(TopicCatalog catalog, string clusterName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(clusterName);
        if (!IsValidClusterName(clusterName))
        {
            throw new ArgumentException($"'{clusterName}' is not a valid Strimzi cluster name (lowercase letters, digits, '-', '.', at most 63)", nameof(clusterName));
        }

        var sb = new StringBuilder();
        sb.Append("# Strimzi KafkaTopic resources generated from src/MesErpStreams.Kafka/Catalog/topics.json. Do not edit:\n");
        sb.Append("# change the catalog and regenerate with `").Append(RegenerateCommand).Append("`\n");
        sb.Append("# (a test fails when this file and the catalog differ).\n");
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var topic in catalog.Topics)
        {
            var resource = ResourceName(topic.Name);
            if (!names.TryAdd(resource, topic.Name))
            {
                throw new TopicCatalogException($"topics '{names[resource]}' and '{topic.Name}' map to the same Kubernetes resource name '{resource}'");
            }

            AppendTopic(sb, topic, resource, clusterName);
        }

        return sb.ToString();
    }

    /// <summary>
    /// True when <paramref name="clusterName"/> can be the <c>strimzi.io/cluster</c> label value: 1-63 lowercase letters,
    /// digits, '-' or '.', starting and ending with a letter or digit (a Kubernetes resource name usable as a label).
    /// </summary>
    public static bool IsValidClusterName(string clusterName) =>
        clusterName is { Length: > 0 and <= 63 } && ResourceNamePattern().IsMatch(clusterName);

    /// <summary>
    /// The Kubernetes resource name of a topic: Kubernetes names are lowercase DNS subdomains, so characters Kafka
    /// allows but Kubernetes does not (<c>_</c>, upper case) are mapped to <c>-</c> / lower case and leading or
    /// trailing non-alphanumerics dropped; <c>spec.topicName</c> always carries the real topic name.
    /// </summary>
    /// <exception cref="ArgumentException">The name cannot be mapped to a valid resource name (e.g. no letter or digit).</exception>
    public static string ResourceName(string topicName)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicName);
        var chars = new char[topicName.Length];
        for (var i = 0; i < topicName.Length; i++)
        {
            var c = char.ToLowerInvariant(topicName[i]);
            chars[i] = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' ? c : '-';
        }

        var name = new string(chars).Trim('-', '.');
        return ResourceNamePattern().IsMatch(name)
            ? name
            : throw new ArgumentException($"topic '{topicName}' maps to '{name}', which is not a Kubernetes resource name (DNS subdomain)", nameof(topicName));
    }

    private static void AppendTopic(StringBuilder sb, TopicSpec topic, string resource, string clusterName)
    {
        sb.Append("---\n");
        if (topic.Description.Length > 0)
        {
            sb.Append("# ").Append(topic.Description.ReplaceLineEndings(" ")).Append('\n');
        }

        sb.Append("apiVersion: kafka.strimzi.io/v1beta2\n");
        sb.Append("kind: KafkaTopic\n");
        sb.Append("metadata:\n");
        sb.Append("  name: ").Append(resource).Append('\n');
        sb.Append("  labels:\n");
        sb.Append("    strimzi.io/cluster: ").Append(clusterName).Append('\n');
        sb.Append("    app.kubernetes.io/part-of: meserp\n");
        sb.Append("    meserp.io/topic-role: ").Append(Quoted(topic.Role)).Append('\n');
        sb.Append("spec:\n");
        sb.Append("  topicName: ").Append(Quoted(topic.Name)).Append('\n');
        sb.Append("  partitions: ").Append(topic.Partitions.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("  replicas: ").Append(topic.ReplicationFactor.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("  config:\n");
        foreach (var (key, value) in topic.Configs)
        {
            var number = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            sb.Append("    ").Append(key).Append(": ").Append(number ? value : Quoted(value)).Append('\n');
        }
    }

    // Double-quoted YAML scalar; catalog values are validated ASCII without quotes or backslashes, but escape anyway.
    private static string Quoted(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // RFC 1123 subdomain: dot-separated labels of [a-z0-9-] that start and end alphanumeric (Kafka names are at most 249).
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex ResourceNamePattern();
}
