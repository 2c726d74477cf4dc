using MesErpStreams.Kafka.Configuration;

namespace MesErpStreams.Edge;

/// <summary>Settings of an <see cref="EdgeProducer"/>.</summary>
public sealed class EdgeProducerOptions
{
    /// <summary>Kafka connection (bootstrap servers and librdkafka properties). Required.</summary>
    public KafkaClientOptions Kafka { get; set; } = new();

    /// <summary>Path of the SQLite outbox file. Default <c>data/edge/outbox.db</c>.</summary>
    public string OutboxPath { get; set; } = Path.Combine("data", "edge", "outbox.db");

    /// <summary>Most events the outbox holds before <see cref="OutboxFullException"/>. Default 1,000,000.</summary>
    public long MaxEvents { get; set; } = 1_000_000;

    /// <summary>Most bytes of event bodies the outbox holds before <see cref="OutboxFullException"/>. Default 1 GiB.</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>Events per Kafka transaction when forwarding. Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// <c>meserp edge publish</c>: longest time the first line of a partial batch waits for the batch to fill before the
    /// batch is written to the outbox. Default 100 ms (a line controller writing a few events per second must not wait
    /// for <see cref="BatchSize"/> of them).
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Transactional id of the forwarder; one per outbox. Default <c>meserp-edge-</c> + the outbox's own random id.</summary>
    public string? TransactionalId { get; set; }

    /// <summary>Register the event schemas on first use instead of looking them up. Default false.</summary>
    public bool AutoRegisterSchemas { get; set; }

    /// <summary>Wait after a failed forwarding attempt (Kafka or registry unreachable). Default 1 s.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Validates the settings.</summary>
    /// <returns>Problems, each naming the setting; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(OutboxPath))
        {
            errors.Add("--outbox: a path is required");
        }

        if (MaxEvents < 1)
        {
            errors.Add("--outbox-max-events: must be at least 1");
        }

        if (MaxBytes < 1024)
        {
            errors.Add("--outbox-max-bytes: must be at least 1024");
        }

        if (BatchSize is < 1 or > 100_000)
        {
            errors.Add("--batch-size: must be 1-100000");
        }

        if (Linger <= TimeSpan.Zero || Linger > TimeSpan.FromMinutes(10))
        {
            errors.Add("--linger: must be positive and at most 10m");
        }

        if (RetryBackoff <= TimeSpan.Zero)
        {
            errors.Add("RetryBackoff: must be positive");
        }

        return errors;
    }
}
