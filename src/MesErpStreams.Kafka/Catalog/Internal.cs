using System.Text.Json.Serialization;

namespace MesErpStreams.Kafka.Catalog;

internal sealed class CatalogDocument
{
    public CatalogDefaults? Defaults { get; set; }

    public List<CatalogTopic>? Topics { get; set; }
}

internal sealed class CatalogDefaults
{
    public int Partitions { get; set; } = 6;

    public short ReplicationFactor { get; set; } = 3;

    public int MinInsyncReplicas { get; set; } = 2;
}

internal sealed class CatalogTopic
{
    public string? Name { get; set; }

    public string? Role { get; set; }

    public int? Partitions { get; set; }

    public short? ReplicationFactor { get; set; }

    public string? CleanupPolicy { get; set; }

    public long? RetentionMs { get; set; }

    public int? MinInsyncReplicas { get; set; }

    public string? Description { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(CatalogDocument))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
