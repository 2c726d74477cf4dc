namespace MesErpStreams.Avro;

/// <summary>A value cannot be encoded with a schema (wrong type, null where not allowed, decimal scale or precision exceeded).</summary>
public class AvroEncodeException : AvroException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public AvroEncodeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AvroEncodeException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
