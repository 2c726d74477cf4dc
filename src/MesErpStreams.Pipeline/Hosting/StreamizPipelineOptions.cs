using System.Globalization;
using Confluent.Kafka;
using MesErpStreams.Kafka.Configuration;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace MesErpStreams.Pipeline.Hosting;

/// <summary>Kafka and engine settings of a <see cref="StreamizPipeline"/>.</summary>
/// <param name="ApplicationId">Consumer group, transactional id prefix and changelog topic prefix.</param>
/// <param name="BootstrapServers">Kafka bootstrap servers.</param>
/// <param name="Kafka">librdkafka properties for every client (security, SASL, TLS, timeouts).</param>
/// <param name="StateDirectory">Where the RocksDB stores and checkpoints live (Streamiz also keeps its process id there, from which the transactional id is derived).</param>
/// <param name="CommitInterval">Transaction commit interval.</param>
/// <param name="ExactlyOnce">Exactly once (transactions) or at least once.</param>
public sealed record StreamizPipelineOptions(
    string ApplicationId,
    string BootstrapServers,
    IReadOnlyDictionary<string, string> Kafka,
    string StateDirectory,
    TimeSpan CommitInterval,
    bool ExactlyOnce = true)
{
    private static readonly string[] ClientPrefixes = ["main.consumer.", "global.consumer.", "restore.consumer.", "producer."];

    /// <summary>One message per bad setting, naming it.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ApplicationId))
        {
            errors.Add("--application-id must not be empty");
        }

        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            errors.Add("--bootstrap-servers (Kafka:BootstrapServers) is required");
        }

        if (CommitInterval < TimeSpan.FromMilliseconds(1))
        {
            errors.Add("--commit-interval must be at least 1 ms");
        }

        return errors;
    }

    /// <summary>
    /// The Streamiz configuration. Every librdkafka property is passed to all of its clients, as is and with the
    /// main, global and restore consumer and producer prefixes: Streamiz keeps keys it does not know out of its
    /// client configurations.
    /// </summary>
    internal StreamConfig ToStreamConfig(ILoggerFactory loggers)
    {
        var config = new StreamConfig<StringSerDes, ByteArraySerDes>
        {
            ApplicationId = ApplicationId,
            BootstrapServers = BootstrapServers,
            StateDir = StateDirectory,
            CommitIntervalMs = (long)CommitInterval.TotalMilliseconds,
            Guarantee = ExactlyOnce ? ProcessingGuarantee.EXACTLY_ONCE : ProcessingGuarantee.AT_LEAST_ONCE,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            Logger = loggers,
        };
        config.AddConfig("main.consumer.session.timeout.ms", GroupTimeouts.SessionTimeoutMs.ToString(CultureInfo.InvariantCulture));
        config.AddConfig("main.consumer.heartbeat.interval.ms", GroupTimeouts.HeartbeatIntervalMs.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in Kafka)
        {
            config.AddConfig(key, value);
            foreach (var prefix in ClientPrefixes)
            {
                config.AddConfig(prefix + key, value);
            }
        }

        return config;
    }
}
