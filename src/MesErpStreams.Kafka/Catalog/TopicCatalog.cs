using System.Text.Json;
using System.Text.RegularExpressions;

namespace MesErpStreams.Kafka.Catalog;

/// <summary>
/// The declarative list of every topic MesErpStreams uses (Catalog/topics.json, embedded in this assembly): the
/// single source for provisioning and for the Kubernetes topic manifests.
/// </summary>
public sealed partial class TopicCatalog
{
    private readonly Dictionary<string, TopicSpec> _byName;

    /// <summary>Creates a catalog from topic specs after checking them.</summary>
    /// <exception cref="TopicCatalogException">A spec is invalid or a name repeats.</exception>
    public TopicCatalog(IEnumerable<TopicSpec> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        Topics = topics.ToArray();
        _byName = new Dictionary<string, TopicSpec>(StringComparer.Ordinal);
        foreach (var t in Topics)
        {
            Validate(t);
            if (!_byName.TryAdd(t.Name, t))
            {
                throw new TopicCatalogException($"topic '{t.Name}' is declared twice");
            }
        }
    }

    /// <summary>The topics, in declaration order.</summary>
    public IReadOnlyList<TopicSpec> Topics { get; }

    /// <summary>The catalog shipped with the product.</summary>
    public static TopicCatalog Default { get; } = LoadDefault();

    /// <summary>Returns the spec of a topic.</summary>
    /// <exception cref="KeyNotFoundException">The topic is not in the catalog.</exception>
    public TopicSpec this[string name] =>
        _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"topic '{name}' is not in the catalog");

    /// <summary>True when the catalog declares the topic.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>A catalog with extra topics (e.g. changelog topics a component declares) appended.</summary>
    public TopicCatalog With(IEnumerable<TopicSpec> more) => new(Topics.Concat(more));

    /// <summary>Parses a catalog document (the format of Catalog/topics.json).</summary>
    /// <exception cref="TopicCatalogException">The document is malformed or a topic invalid; the message names it.</exception>
    public static TopicCatalog Parse(string json)
    {
        CatalogDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(json, CatalogJsonContext.Default.CatalogDocument);
        }
        catch (JsonException e)
        {
            throw new TopicCatalogException($"topic catalog is not valid JSON: {e.Message}", e);
        }

        if (doc?.Topics is null)
        {
            throw new TopicCatalogException("topic catalog has no 'topics' array");
        }

        var d = doc.Defaults ?? new CatalogDefaults();
        return new TopicCatalog(doc.Topics.Select(t => new TopicSpec(
            t.Name ?? throw new TopicCatalogException("a topic has no name"),
            t.Role ?? "event",
            t.Partitions ?? d.Partitions,
            t.ReplicationFactor ?? d.ReplicationFactor,
            t.CleanupPolicy ?? "delete",
            t.RetentionMs ?? 604_800_000,
            t.MinInsyncReplicas ?? d.MinInsyncReplicas,
            t.Description ?? string.Empty)));
    }

    private static TopicCatalog LoadDefault()
    {
        using var stream = typeof(TopicCatalog).Assembly.GetManifestResourceStream("MesErpStreams.Kafka.topics.json")
            ?? throw new InvalidOperationException("embedded topic catalog resource is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static void Validate(TopicSpec t)
    {
        // Kafka's own rule: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".
        if (!TopicName().IsMatch(t.Name) || t.Name is "." or "..")
        {
            throw new TopicCatalogException($"topic '{t.Name}': invalid name (1-249 of [a-zA-Z0-9._-])");
        }

        if (t.Partitions < 1)
        {
            throw new TopicCatalogException($"topic '{t.Name}': partitions must be at least 1 (was {t.Partitions})");
        }

        if (t.ReplicationFactor < 1)
        {
            throw new TopicCatalogException($"topic '{t.Name}': replicationFactor must be at least 1 (was {t.ReplicationFactor})");
        }

        if (t.MinInsyncReplicas < 1 || t.MinInsyncReplicas > t.ReplicationFactor)
        {
            throw new TopicCatalogException($"topic '{t.Name}': minInsyncReplicas must be between 1 and the replication factor (was {t.MinInsyncReplicas})");
        }

        if (t.CleanupPolicy is not ("delete" or "compact" or "compact,delete"))
        {
            throw new TopicCatalogException($"topic '{t.Name}': cleanupPolicy must be delete, compact or compact,delete (was '{t.CleanupPolicy}')");
        }

        if (t.RetentionMs < -1 || t.RetentionMs == 0)
        {
            throw new TopicCatalogException($"topic '{t.Name}': retentionMs must be positive or -1 (was {t.RetentionMs})");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]{1,249}$")]
    private static partial Regex TopicName();
}
