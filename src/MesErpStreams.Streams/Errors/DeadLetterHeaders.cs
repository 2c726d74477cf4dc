namespace MesErpStreams.Streams;

/// <summary>
/// Header names on dead-letter records (in the spirit of Kafka Connect's <c>__connect.errors.*</c>). Values are
/// UTF-8 strings; partition and offset are decimal.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>Common prefix of all error headers.</summary>
    public const string Prefix = "__meserp.errors.";

    /// <summary>Source topic of the failed record.</summary>
    public const string Topic = Prefix + "topic";

    /// <summary>Source partition.</summary>
    public const string Partition = Prefix + "partition";

    /// <summary>Source offset.</summary>
    public const string Offset = Prefix + "offset";

    /// <summary>Failing stage: <c>deserialize</c>, <c>process</c>, <c>serialize</c> or <c>produce</c>.</summary>
    public const string Stage = Prefix + "stage";

    /// <summary>Topology node that failed (source, processor or sink name).</summary>
    public const string Node = Prefix + "node";

    /// <summary>Application id of the instance that dead-lettered the record.</summary>
    public const string ApplicationId = Prefix + "application.id";

    /// <summary>Full .NET type name of the exception.</summary>
    public const string ExceptionClass = Prefix + "exception.class.name";

    /// <summary>Exception message (truncated to 4 KiB).</summary>
    public const string ExceptionMessage = Prefix + "exception.message";

    /// <summary>
    /// Set when the failed record's value was left out of the dead letter because it would exceed
    /// <see cref="DeadLetterOptions.MaxRecordBytes"/>: its size in bytes. The original is on the source topic at
    /// <see cref="Topic"/>/<see cref="Partition"/>/<see cref="Offset"/> for as long as that topic retains it.
    /// </summary>
    public const string ValueOmittedBytes = Prefix + "value.omitted.bytes";

    /// <summary>Exception stack trace (truncated to 8 KiB).</summary>
    public const string ExceptionStackTrace = Prefix + "exception.stacktrace";

    /// <summary>Stage as lower-case header value.</summary>
    public static string StageValue(ErrorStage stage) => stage switch
    {
        ErrorStage.Deserialize => "deserialize",
        ErrorStage.Process => "process",
        ErrorStage.Serialize => "serialize",
        _ => "produce",
    };
}
