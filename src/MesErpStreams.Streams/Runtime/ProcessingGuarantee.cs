namespace MesErpStreams.Streams;

/// <summary>Delivery guarantee of a streams instance.</summary>
public enum ProcessingGuarantee
{
    /// <summary>
    /// Exactly-once (Kafka's EOS v2): one transactional producer per instance; outputs, changelog writes, dead
    /// letters and input offsets commit atomically, fenced by the consumer group generation. Default.
    /// </summary>
    ExactlyOnce,

    /// <summary>
    /// At-least-once: an idempotent producer is flushed before offsets are committed; after a crash some records are
    /// processed and emitted again. Only for idempotent downstream consumers.
    /// </summary>
    AtLeastOnce,
}
