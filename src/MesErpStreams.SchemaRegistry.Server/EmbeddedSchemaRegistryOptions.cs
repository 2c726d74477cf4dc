using MesErpStreams.Avro.Compatibility;

namespace MesErpStreams.SchemaRegistry.Server;

/// <summary>Settings of <see cref="EmbeddedSchemaRegistry"/>.</summary>
public sealed class EmbeddedSchemaRegistryOptions
{
    /// <summary>Kafka bootstrap servers of the cluster holding the schemas topic. Required.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>
    /// URL to listen on. Default <c>http://127.0.0.1:0</c> (loopback, any free port; the bound URL is
    /// <see cref="EmbeddedSchemaRegistry.Url"/>). Bind another interface only deliberately: the API has no authentication.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>The compacted topic storing schemas, in Confluent's layout. Default <c>_schemas</c>.</summary>
    public string Topic { get; set; } = "_schemas";

    /// <summary>Compatibility level while none is configured globally. Default BACKWARD (as Confluent).</summary>
    public CompatibilityLevel DefaultCompatibility { get; set; } = CompatibilityLevel.Backward;

    /// <summary>
    /// Create the topic (1 partition, <c>cleanup.policy=compact</c>) when it does not exist. Default true; the
    /// embedded cluster, which has no CreateTopics API, needs the topic created beforehand (the topic catalog does).
    /// </summary>
    public bool CreateTopic { get; set; } = true;

    /// <summary>How long start may take to read the topic to its end. Default 30 seconds.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra librdkafka properties for the registry's producer and consumer (security, TLS, SASL).</summary>
    public IDictionary<string, string> KafkaProperties { get; set; } = new Dictionary<string, string>();

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new ArgumentException("EmbeddedSchemaRegistry BootstrapServers is required.", nameof(BootstrapServers));
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"EmbeddedSchemaRegistry Url '{Url}' must be an absolute http URL such as http://127.0.0.1:8081.", nameof(Url));
        }

        if (string.IsNullOrWhiteSpace(Topic))
        {
            throw new ArgumentException("EmbeddedSchemaRegistry Topic is required.", nameof(Topic));
        }

        if (StartupTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("EmbeddedSchemaRegistry StartupTimeout must be positive.", nameof(StartupTimeout));
        }
    }
}
