namespace MesErpStreams.Sink;

/// <summary>
/// Options of the ERP sink (<c>meserp sink</c>, configuration section <c>Sink</c>). Validated at start by
/// <see cref="Validate"/>. librdkafka settings pass through <see cref="Kafka"/>, <see cref="Consumer"/> and
/// <see cref="Producer"/>, so security, SASL and TLS need no code change.
/// </summary>
public sealed class ErpSinkOptions
{
    /// <summary>Kafka bootstrap servers. Required.</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>The default <see cref="GroupId"/>, which owns the catalog's retry tiers.</summary>
    public const string DefaultGroupId = "meserp-sink";

    /// <summary>The catalog's retry tier topics, owned by <see cref="DefaultGroupId"/>.</summary>
    public static IReadOnlyList<string> DefaultRetryTopics { get; } = ["erp.posting-commands.retry-1", "erp.posting-commands.retry-2", "erp.posting-commands.retry-3"];

    /// <summary>
    /// Consumer group shared by all sink instances. Default <c>meserp-sink</c>. The retry tiers belong to one group: a
    /// second group must have tiers of its own (<see cref="RetryTopics"/>), or it re-reads the first group's parked
    /// commands and posts them again.
    /// </summary>
    public string GroupId { get; set; } = DefaultGroupId;

    /// <summary>Topic of the posting commands. Default <c>erp.posting-commands</c>.</summary>
    public string CommandsTopic { get; set; } = "erp.posting-commands";

    /// <summary>Retry tier topics, lowest first. Default <c>erp.posting-commands.retry-1..3</c>. They must have the commands topic's partition count.</summary>
    public List<string> RetryTopics { get; set; } = [.. DefaultRetryTopics];

    /// <summary>Delay of each retry tier (same count as <see cref="RetryTopics"/>). Default 5 s, 1 min, 10 min.</summary>
    public List<TimeSpan> RetryDelays { get; set; } = [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)];

    /// <summary>Dead-letter topic. Default <c>erp.posting-commands.dlq</c>.</summary>
    public string DeadLetterTopic { get; set; } = "erp.posting-commands.dlq";

    /// <summary>Posting results topic. Default <c>erp.posting-results</c>.</summary>
    public string ResultsTopic { get; set; } = "erp.posting-results";

    /// <summary>
    /// Keys whose commands are being posted at once (one key's commands are always handled in order, one chain at a
    /// time). Default 256.
    /// </summary>
    public int MaxConcurrency { get; set; } = 256;

    /// <summary>ERP calls (single postings or batches) in flight at once. Default 16.</summary>
    public int MaxCallsInFlight { get; set; } = 16;

    /// <summary>
    /// Most postings per ERP call when the ERP adapter takes batches (<c>IErpBatchClient</c>); also the longest run
    /// of one key's commands sent in one call. 1 = one posting per call. Default 100.
    /// </summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a batch that is not full waits for more postings once a call slot is free. Default 5 ms.</summary>
    public TimeSpan BatchLinger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Records read but not finished above which consumption pauses. Default 5000.</summary>
    public int MaxBufferedRecords { get; set; } = 5000;

    /// <summary>ERP calls per second (token bucket; a batch is one call). 0 = unlimited. Default 20.</summary>
    public double RequestsPerSecond { get; set; } = 20;

    /// <summary>
    /// Circuit breaker: calls in a row that found the ERP unavailable (5xx, timeout, refused connection, auth failure)
    /// after which it opens and posting pauses, whatever the traffic. The ERP being unavailable never fails a posting:
    /// it is held and sent again in place however long the outage lasts. Default 3.
    /// </summary>
    public int BreakerConsecutiveFailures { get; set; } = 3;

    /// <summary>
    /// Circuit breaker: while open, one probe call per this interval; the first the ERP answers resumes posting, so
    /// posting resumes at most this long after the ERP is back. Default 2 s.
    /// </summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often completed offsets are committed. Default 1 s.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a rebalance waits for in-flight postings before abandoning them (they are re-read). Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>librdkafka properties for consumer and producer (e.g. <c>security.protocol</c>).</summary>
    public Dictionary<string, string> Kafka { get; set; } = [];

    /// <summary>librdkafka properties for the consumer only.</summary>
    public Dictionary<string, string> Consumer { get; set; } = [];

    /// <summary>librdkafka properties for the producer only.</summary>
    public Dictionary<string, string> Producer { get; set; } = [];

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        static void Require(bool ok, string name, string message)
        {
            if (!ok)
            {
                throw new ArgumentException($"Sink:{name} {message}", name);
            }
        }

        Require(!string.IsNullOrWhiteSpace(BootstrapServers), nameof(BootstrapServers), "is required (--bootstrap-servers)");
        Require(!string.IsNullOrWhiteSpace(GroupId), nameof(GroupId), "must not be empty");
        Require(!string.IsNullOrWhiteSpace(CommandsTopic), nameof(CommandsTopic), "must not be empty");
        Require(!string.IsNullOrWhiteSpace(DeadLetterTopic), nameof(DeadLetterTopic), "must not be empty");
        Require(!string.IsNullOrWhiteSpace(ResultsTopic), nameof(ResultsTopic), "must not be empty");
        Require(RetryTopics is { Count: >= 1 } && RetryTopics.TrueForAll(t => !string.IsNullOrWhiteSpace(t)), nameof(RetryTopics), "needs at least one topic name");
        // First plant trial: a second `meserp sink --group other` on the catalog's tiers copied the first group's parked
        // commands again (27 DUPLICATE answers at the ERP).
        Require(GroupId == DefaultGroupId || !RetryTopics.Any(DefaultRetryTopics.Contains), nameof(RetryTopics),
            $"{string.Join(", ", RetryTopics.Where(DefaultRetryTopics.Contains))} belong to the sink group '{DefaultGroupId}'; group '{GroupId}' reading them would post that group's parked commands again. " +
            $"Give group '{GroupId}' retry tiers of its own (Sink:RetryTopics, each with the commands topic's partition count) or run it as group '{DefaultGroupId}'");
        Require(RetryDelays is not null && RetryDelays.Count == RetryTopics.Count, nameof(RetryDelays), $"needs one delay per retry topic ({RetryTopics.Count})");
        Require(RetryDelays!.TrueForAll(d => d >= TimeSpan.Zero), nameof(RetryDelays), "must not be negative");
        var all = new HashSet<string>(StringComparer.Ordinal) { CommandsTopic, DeadLetterTopic, ResultsTopic };
        Require(RetryTopics.TrueForAll(all.Add) && all.Count == RetryTopics.Count + 3, nameof(RetryTopics), "and the other topics must all differ");
        Require(MaxConcurrency is >= 1 and <= 1024, nameof(MaxConcurrency), $"must be 1..1024 (got {MaxConcurrency})");
        Require(MaxCallsInFlight is >= 1 and <= 1024, nameof(MaxCallsInFlight), $"must be 1..1024 (got {MaxCallsInFlight})");
        Require(BatchSize is >= 1 and <= 10_000, nameof(BatchSize), $"must be 1..10000 (got {BatchSize})");
        Require(BatchLinger >= TimeSpan.Zero && BatchLinger <= TimeSpan.FromSeconds(5), nameof(BatchLinger), $"must be 0..5 s (got {BatchLinger})");
        Require(MaxBufferedRecords >= MaxConcurrency, nameof(MaxBufferedRecords), "must be at least MaxConcurrency");
        Require(RequestsPerSecond >= 0 && double.IsFinite(RequestsPerSecond), nameof(RequestsPerSecond), $"must be 0 (unlimited) or positive (got {RequestsPerSecond})");
        Require(BreakerConsecutiveFailures is >= 1 and <= 100, nameof(BreakerConsecutiveFailures), $"must be 1..100 (got {BreakerConsecutiveFailures})");
        Require(BreakerBreakDuration >= TimeSpan.FromMilliseconds(100) && BreakerBreakDuration <= TimeSpan.FromMinutes(5), nameof(BreakerBreakDuration), $"must be 0.1 s..5 min (got {BreakerBreakDuration})");
        Require(CommitInterval > TimeSpan.Zero, nameof(CommitInterval), "must be positive");
        Require(DrainTimeout > TimeSpan.Zero, nameof(DrainTimeout), "must be positive");
    }
}
