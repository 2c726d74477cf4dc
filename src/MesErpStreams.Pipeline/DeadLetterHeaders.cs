namespace MesErpStreams.Pipeline;

/// <summary>
/// Header names on dead letters of records that could not be decoded (in the spirit of Kafka Connect's
/// <c>__connect.errors.*</c>), next to <see cref="PipelineHeaders"/>. Values are UTF-8 strings; partition and offset
/// are decimal. Events that decode but are rejected carry <see cref="PipelineHeaders.Reason"/> instead.
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

    /// <summary>Failing stage; the processor writes <see cref="DeserializeStage"/>.</summary>
    public const string Stage = Prefix + "stage";

    /// <summary>Topology node that failed.</summary>
    public const string Node = Prefix + "node";

    /// <summary>Application id of the instance that dead-lettered the record.</summary>
    public const string ApplicationId = Prefix + "application.id";

    /// <summary>Full .NET type name of the exception.</summary>
    public const string ExceptionClass = Prefix + "exception.class.name";

    /// <summary>Exception message (truncated to 4 KiB).</summary>
    public const string ExceptionMessage = Prefix + "exception.message";

    /// <summary>
    /// Set when the record's value was left out of the dead letter because it would exceed the producer's record
    /// limit: its size in bytes. The original is on the source topic at <see cref="Topic"/>/<see cref="Partition"/>/
    /// <see cref="Offset"/> for as long as that topic retains it.
    /// </summary>
    public const string ValueOmittedBytes = Prefix + "value.omitted.bytes";

    /// <summary>The <see cref="Stage"/> value of a record that could not be decoded.</summary>
    public const string DeserializeStage = "deserialize";
}
