using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace MesErpStreams.Kafka.Configuration;

/// <summary>
/// Connection settings shared by every Kafka client of a process. Bound from the configuration section
/// <c>Kafka</c>: <c>Kafka:BootstrapServers</c> and <c>Kafka:Properties:&lt;librdkafka property&gt;</c>, so operators can
/// set any client property (security.protocol, sasl.*, ssl.*, …) without a code change, e.g. through the
/// environment variable <c>MESERP_Kafka__Properties__sasl.password</c>.
/// </summary>
public sealed class KafkaClientOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Kafka";

    /// <summary>Comma-separated <c>host:port</c> list. Required.</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>Extra librdkafka properties applied to every client (producer, consumer, admin). Default none.</summary>
    public Dictionary<string, string> Properties { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Binds the options from a configuration's <c>Kafka</c> section.</summary>
    public static KafkaClientOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var options = new KafkaClientOptions { BootstrapServers = section["BootstrapServers"] ?? string.Empty };
        foreach (var child in section.GetSection("Properties").GetChildren())
        {
            if (child.Value is not null)
            {
                options.Properties[child.Key] = child.Value;
            }
        }

        return options;
    }

    /// <summary>Checks the options; the exception message names the offending setting.</summary>
    /// <exception cref="ArgumentException">A setting is missing or malformed.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new ArgumentException("Kafka:BootstrapServers (--bootstrap-servers) is required.", nameof(BootstrapServers));
        }

        foreach (var server in BootstrapServers.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server[(colon + 1)..], out var port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"Kafka:BootstrapServers: '{server}' is not host:port.", nameof(BootstrapServers));
            }
        }

        foreach (var key in Properties.Keys)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException($"Kafka:Properties: '{key}' is not a librdkafka property name.", nameof(Properties));
            }

            if (key is "bootstrap.servers")
            {
                throw new ArgumentException("Kafka:Properties: set bootstrap.servers through Kafka:BootstrapServers.", nameof(Properties));
            }
        }
    }

    /// <summary>Producer settings: these options plus <paramref name="overrides"/> (which win).</summary>
    public ProducerConfig ToProducerConfig(IEnumerable<KeyValuePair<string, string>>? overrides = null) => new(Build(overrides));

    /// <summary>Consumer settings for a group: these options plus <paramref name="overrides"/> (which win).</summary>
    public ConsumerConfig ToConsumerConfig(string groupId, IEnumerable<KeyValuePair<string, string>>? overrides = null) =>
        new(Build(overrides)) { GroupId = groupId };

    /// <summary>Admin client settings.</summary>
    public AdminClientConfig ToAdminConfig() => new(Build(null));

    /// <summary>The properties with secret values masked, for logs and diagnostics.</summary>
    public IReadOnlyDictionary<string, string> Redacted() =>
        Build(null).ToDictionary(kv => kv.Key, kv => IsSecret(kv.Key) ? "***" : kv.Value, StringComparer.Ordinal);

    /// <summary>True for librdkafka properties that carry credentials or key material.</summary>
    public static bool IsSecret(string property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.Contains("password", StringComparison.OrdinalIgnoreCase)
            || property.Contains("secret", StringComparison.OrdinalIgnoreCase)
            || property.EndsWith(".pem", StringComparison.OrdinalIgnoreCase)
            || property is "ssl.key.pem" or "sasl.oauthbearer.config" or "sasl.jaas.config";
    }

    private Dictionary<string, string> Build(IEnumerable<KeyValuePair<string, string>>? overrides)
    {
        var d = new Dictionary<string, string>(Properties, StringComparer.Ordinal) { ["bootstrap.servers"] = BootstrapServers };
        if (overrides is not null)
        {
            foreach (var (k, v) in overrides)
            {
                d[k] = v;
            }
        }

        return d;
    }
}
