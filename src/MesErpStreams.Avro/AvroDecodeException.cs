namespace MesErpStreams.Avro;

/// <summary>Binary input is malformed: truncated, negative or oversized length, unknown union branch or enum index, invalid UTF-8, nesting too deep, or a resolution rule failed for the data read.</summary>
public class AvroDecodeException : AvroException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public AvroDecodeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AvroDecodeException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
