using System.Globalization;
using System.Reflection;
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

    /// <summary>Default of <c>--poll-interval</c> (Streamiz's poll.ms default).</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a Streamiz poll gathers records (its poll.ms) before they are processed: a poll returns after
    /// max.poll.records (500) or after this interval, so below 500 records per interval every batch waits the whole
    /// interval. Shorter lowers the latency at low rates and costs CPU per record at higher ones (measured in
    /// docs/performance.md: 20 ms cut the median at 500 events/s from 268 to 165 ms and missed 2,000 events/s on 2 cores).
    /// </summary>
    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

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

        if (PollInterval < TimeSpan.FromMilliseconds(1) || PollInterval > TimeSpan.FromSeconds(10))
        {
            errors.Add("--poll-interval must be between 1ms and 10s");
        }

        if (StreamThreads is < 1 or > 64)
        {
            errors.Add("--stream-threads must be between 1 and 64");
        }

        if (TransactionTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add("the transaction timeout must be at least 1 s");
        }

        foreach (var (key, value) in Kafka)
        {
            if (!TryStreamizValue(key, value, out _, out var error))
            {
                errors.Add(error);
            }
        }

        return errors;
    }

    /// <summary>
    /// Streamiz's StreamConfig knows many librdkafka keys as typed properties (security.protocol and sasl.mechanism as
    /// enums, socket.timeout.ms as an int, enable.ssl.certificate.verification as a bool, …) and its AddConfig assigns
    /// the value to that property as it is: a string there failed the start with a reflection error. Keys it knows get
    /// their value converted to the property's type (enums by librdkafka's names: sasl_ssl, SCRAM-SHA-512, all);
    /// other keys stay strings.
    /// </summary>
    private static readonly Dictionary<string, Type> TypedKeys = typeof(StreamConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => (Key: p.GetCustomAttributes(inherit: true).Where(a => a.GetType().Name == "StreamConfigPropertyAttribute")
            .Select(a => a.GetType().GetProperty("KeyName")?.GetValue(a) as string).FirstOrDefault(), p.PropertyType))
        .Where(x => x.Key is not null && x.PropertyType != typeof(string))
        .GroupBy(x => x.Key!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => Nullable.GetUnderlyingType(g.First().PropertyType) ?? g.First().PropertyType, StringComparer.Ordinal);

    private static bool TryStreamizValue(string key, string value, out object converted, out string error)
    {
        converted = value;
        error = string.Empty;
        if (!TypedKeys.TryGetValue(key, out var type))
        {
            return true;
        }

        if (type.IsEnum)
        {
            var name = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                ? value // acks=-1
                : value.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
            if (Enum.TryParse(type, name, ignoreCase: true, out var member) && Enum.IsDefined(type, member))
            {
                converted = member;
                return true;
            }

            error = $"Kafka property {key}: '{value}' is not one of {string.Join(", ", Enum.GetNames(type))}";
            return false;
        }

        try
        {
            converted = Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            error = $"Kafka property {key}: '{value}' is not a valid {type.Name}";
            return false;
        }
    }

    /// <summary>How long Streamiz waits for the end offset of a changelog or master-data partition it restores.</summary>
    internal static readonly TimeSpan RestoreQueryTimeout = TimeSpan.FromSeconds(30);

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
            // Streamiz asks for the ends of the changelogs it restores (and of the global tables' topics at start) and
            // takes a timeout as fatal to the thread. Its 5 s default killed a processor of the fault suite that
            // restored the tasks of a killed peer while the cluster was still settling after a broker had been down;
            // 30 s rides through a broker failover without blocking the thread past the poll interval.
            QueryWatermarkOffsetsTimeout = RestoreQueryTimeout,
            PollMs = Math.Max(1, (long)PollInterval.TotalMilliseconds),
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
            config.AddConfig(key, TryStreamizValue(key, value, out var typed, out var error) ? typed : throw new ArgumentException(error));
            foreach (var prefix in ClientPrefixes)
            {
                config.AddConfig(prefix + key, value);
            }
        }

        return config;
    }
}
