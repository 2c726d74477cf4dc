namespace MesErpStreams.Streams;

/// <summary>Error handling and the dead-letter topic (configuration section e.g. <c>Streams:DeadLetter</c>).</summary>
public sealed class DeadLetterOptions
{
    /// <summary>Dead-letter topic; required when any handler is <see cref="ErrorHandlerMode.DeadLetterAndContinue"/>.</summary>
    public string? Topic { get; set; }

    /// <summary>Handler for records whose key or value cannot be deserialized. Default: dead-letter and continue.</summary>
    public ErrorHandlerMode DeserializationErrors { get; set; } = ErrorHandlerMode.DeadLetterAndContinue;

    /// <summary>Handler for records a processor throws on. Default: dead-letter and continue.</summary>
    public ErrorHandlerMode ProcessingErrors { get; set; } = ErrorHandlerMode.DeadLetterAndContinue;

    /// <summary>Handler for outputs that cannot be serialized or exceed <see cref="MaxRecordBytes"/>. Default: dead-letter and continue.</summary>
    public ErrorHandlerMode ProductionErrors { get; set; } = ErrorHandlerMode.DeadLetterAndContinue;

    /// <summary>
    /// Largest output record (key + value + headers, bytes) the runtime sends; larger ones are treated as production
    /// errors instead of failing the whole transaction at the broker. Keep it at or below the topic's
    /// <c>max.message.bytes</c>. Default 1,000,000.
    /// </summary>
    public int MaxRecordBytes { get; set; } = 1_000_000;

    /// <summary>
    /// Recognises failures that will pass (for example the schema registry unreachable while a serde needs it): a
    /// record failing with one is neither dead-lettered nor skipped; the instance aborts its transaction, rewinds and
    /// retries after a backoff, like a broker error. Without it, such a record would be dead-lettered as if it were bad
    /// (found by the fault suite: commands dead-lettered while the registry was down). Default: none.
    /// </summary>
    public Func<Exception, bool>? TransientErrors { get; set; }

    /// <summary>Whether dead letters carry the exception stack trace header. Default true.</summary>
    public bool IncludeStackTrace { get; set; } = true;

    /// <summary>Returns one message per invalid setting, naming it; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var needsTopic = DeserializationErrors == ErrorHandlerMode.DeadLetterAndContinue
                         || ProcessingErrors == ErrorHandlerMode.DeadLetterAndContinue
                         || ProductionErrors == ErrorHandlerMode.DeadLetterAndContinue;
        if (needsTopic && string.IsNullOrWhiteSpace(Topic))
        {
            errors.Add("Streams:DeadLetter:Topic is required while a handler is DeadLetterAndContinue");
        }

        if (MaxRecordBytes < 1024)
        {
            errors.Add("Streams:DeadLetter:MaxRecordBytes must be at least 1024");
        }

        return errors;
    }
}
