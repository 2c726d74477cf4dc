namespace MesErpStreams.Streams;

/// <summary>
/// A node of a topology that handles one record at a time (Kafka Streams' Processor API). One instance exists per
/// task (input partition); all calls for one instance come from one thread, so implementations need no locking.
/// </summary>
/// <typeparam name="TKeyIn">Input key type.</typeparam>
/// <typeparam name="TValueIn">Input value type.</typeparam>
/// <typeparam name="TKeyOut">Key type of forwarded records.</typeparam>
/// <typeparam name="TValueOut">Value type of forwarded records.</typeparam>
public interface IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>
{
    /// <summary>Called once before the first record; keep the context to forward records, get stores and schedule punctuation.</summary>
    void Init(IProcessorContext<TKeyOut, TValueOut> context);

    /// <summary>
    /// Handles one record. Forwarded records and store writes made here become visible atomically with the input
    /// offset (exactly-once). If this throws, the runtime undoes this record's store writes and forwards and applies
    /// the configured processing error handler (fail, or dead-letter and continue).
    /// </summary>
    void Process(Record<TKeyIn, TValueIn> record);

    /// <summary>Called when the task is closed (partition revoked or instance stopping). Must not forward.</summary>
    void Close();
}
