using YamlDotNet.RepresentationModel;

namespace MesErpStreams.Deployment.Tests;

/// <summary>
/// YAML documents as plain trees: mappings are <see cref="Map"/> (string keys), sequences <see cref="List{T}"/> of
/// nodes, scalars strings (null for YAML null). Navigation helpers return null for missing paths.
/// </summary>
internal static class Yaml
{
    public static List<Map> LoadAll(string text)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }

        return stream.Documents
            .Select(d => Convert(d.RootNode))
            .OfType<Map>()
            .ToList();
    }

    public static List<Map> LoadFile(string path) => LoadAll(File.ReadAllText(path));

    public static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new Map(m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => Convert(kv.Value), StringComparer.Ordinal)),
        YamlSequenceNode s => s.Children.Select(Convert).ToList(),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "null" or "~" or "" } => null,
        YamlScalarNode v => v.Value,
        _ => throw new InvalidOperationException($"unsupported YAML node {node.NodeType}"),
    };

    /// <summary>A YAML mapping.</summary>
    internal sealed class Map(Dictionary<string, object?> values)
    {
        public IReadOnlyDictionary<string, object?> Values => values;

        public object? this[string key] => values.GetValueOrDefault(key);

        public Map? MapAt(params string[] path) => At(path) as Map;

        public List<object?> ListAt(params string[] path) => At(path) as List<object?> ?? [];

        public IEnumerable<Map> MapsAt(params string[] path) => ListAt(path).OfType<Map>();

        public string? StringAt(params string[] path) => At(path) as string;

        public object? At(params string[] path)
        {
            object? current = this;
            foreach (var key in path)
            {
                current = current is Map m ? m[key] : null;
            }

            return current;
        }

        public string Kind => StringAt("kind") ?? "";

        public string Name => StringAt("metadata", "name") ?? "";

        public override string ToString() => $"{Kind}/{Name}";
    }

    /// <summary>Structural equality of two converted trees (mapping key order ignored).</summary>
    public static bool DeepEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (string x, string y) => x == y,
        (Map x, Map y) => x.Values.Count == y.Values.Count && x.Values.All(kv => y.Values.TryGetValue(kv.Key, out var v) && DeepEquals(kv.Value, v)),
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => DeepEquals(p.First, p.Second)),
        _ => false,
    };
}
