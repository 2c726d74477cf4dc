namespace MesErpStreams.Kafka.Embedded;

/// <summary>An operation on the embedded cluster failed; <see cref="ErrorCode"/> is librdkafka's error code.</summary>
public sealed class EmbeddedKafkaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmbeddedKafkaException(string message, int errorCode = 0)
        : base(message) => ErrorCode = errorCode;

    /// <summary>Creates the exception with its cause.</summary>
    public EmbeddedKafkaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>librdkafka's <c>rd_kafka_resp_err_t</c> (0 when not applicable).</summary>
    public int ErrorCode { get; }
}
