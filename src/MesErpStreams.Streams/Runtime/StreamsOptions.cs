namespace MesErpStreams.Streams;

/// <summary>Runtime settings of a streams instance (configuration section e.g. <c>Streams</c>).</summary>
public sealed class StreamsOptions
{
    /// <summary>Required. Consumer group id, prefix of changelog topics (<c>{ApplicationId}-{store}-changelog</c>) and of the transactional id.</summary>
    public string ApplicationId { get; set; } = string.Empty;

    /// <summary>Bootstrap servers; may instead be given as <c>bootstrap.servers</c> in <see cref="Kafka"/>.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Exactly-once (default) or at-least-once.</summary>
    public ProcessingGuarantee Guarantee { get; set; } = ProcessingGuarantee.ExactlyOnce;

    /// <summary>Commit at least this often while records flow. Default 100 ms.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Commit after this many input records even before <see cref="CommitInterval"/>. Default 10,000.</summary>
    public int CommitMaxRecords { get; set; } = 10_000;

    /// <summary>
    /// Identifies this instance: the transactional id is <c>{ApplicationId}-{InstanceId}</c>, so a restarted instance
    /// with the same id fences its zombie. Default: host name plus process id.
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>Directory of persistent stores (<c>{StateDirectory}/{ApplicationId}/{partition}/{store}.db</c>). Default: a folder under the temp path.</summary>
    public string StateDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "meserp-streams");

    /// <summary>Bound for blocking broker operations (transaction commit/abort, offset commits, close). Default 30 s.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one poll waits for records; bounds shutdown latency. Default 100 ms.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long to wait for global tables to reach their end offsets before processing starts. Default 2 minutes.</summary>
    public TimeSpan GlobalBootstrapTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// librdkafka properties passed to every client this instance creates (consumer, producer, restore and global
    /// consumers), e.g. <c>security.protocol</c>, <c>sasl.*</c>, <c>ssl.*</c>. Properties the runtime owns for
    /// correctness (<c>group.id</c>, <c>enable.auto.commit</c>, <c>isolation.level</c>, <c>transactional.id</c>,
    /// <c>enable.idempotence</c>) are overridden.
    /// </summary>
    public Dictionary<string, string> Kafka { get; set; } = [];

    /// <summary>Returns one message per invalid setting, naming it; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ApplicationId) || ApplicationId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            errors.Add("Streams:ApplicationId is required and may contain only ASCII letters, digits, '.', '_' and '-'");
        }

        if (string.IsNullOrWhiteSpace(BootstrapServers) && !Kafka.ContainsKey("bootstrap.servers"))
        {
            errors.Add("Streams:BootstrapServers (or Streams:Kafka:bootstrap.servers) is required");
        }

        if (CommitInterval < TimeSpan.FromMilliseconds(1) || CommitInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add("Streams:CommitInterval must be between 1 ms and 5 minutes");
        }

        if (CommitMaxRecords < 1)
        {
            errors.Add("Streams:CommitMaxRecords must be at least 1");
        }

        if (OperationTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add("Streams:OperationTimeout must be at least 1 s");
        }

        if (PollTimeout < TimeSpan.FromMilliseconds(1) || PollTimeout > TimeSpan.FromSeconds(5))
        {
            errors.Add("Streams:PollTimeout must be between 1 ms and 5 s");
        }

        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            errors.Add("Streams:StateDirectory is required");
        }

        if (GlobalBootstrapTimeout <= TimeSpan.Zero)
        {
            errors.Add("Streams:GlobalBootstrapTimeout must be positive");
        }

        return errors;
    }
}
