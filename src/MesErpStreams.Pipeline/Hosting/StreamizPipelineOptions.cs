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

    /// <summary>Default of <c>--commit-interval</c> (Kafka Streams' exactly-once default).</summary>
    public static readonly TimeSpan DefaultCommitInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Default <see cref="TransactionTimeout"/>. A closing instance commits its open transaction within it, so a
    /// shutdown takes at most this plus one commit interval (the Kubernetes grace periods are checked against that).
    /// </summary>
    public static readonly TimeSpan DefaultTransactionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Stream threads of this instance (Streamiz's num.stream.threads): the tasks are shared among them; each has its own consumer and transactional producer.</summary>
    public int StreamThreads { get; init; } = 1;

    /// <summary>Transaction timeout: a member killed mid-transaction blocks its partitions' read_committed readers at most this long.</summary>
    public TimeSpan TransactionTimeout { get; init; } = DefaultTransactionTimeout;

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

        if (StreamThreads is < 1 or > 64)
        {
            errors.Add("--stream-threads must be between 1 and 64");
        }

        if (TransactionTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add("the transaction timeout must be at least 1 s");
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
            // The guarantee first: setting it resets the commit interval to its own default.
            Guarantee = ExactlyOnce ? ProcessingGuarantee.EXACTLY_ONCE : ProcessingGuarantee.AT_LEAST_ONCE,
            CommitIntervalMs = (long)CommitInterval.TotalMilliseconds,
            TransactionTimeout = TransactionTimeout,
            NumStreamThreads = StreamThreads,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            Logger = loggers,
            // Streamiz builds no bloom filter for the bottom level (optimize_filters_for_hits), which suits stores
            // read mostly for keys they hold. The dedupe store is read mostly for ids it has never seen: keep the
            // filters everywhere so a miss rarely touches a data block.
            RocksDbConfigHandler = (store, rocks) =>
            {
                if (store == Engine.StreamizTopology.DedupeStore)
                {
                    rocks.SetOptimizeFiltersForHits(0);
                }
            },
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
