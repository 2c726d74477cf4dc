namespace MesErpStreams.Avro;

/// <summary>A .NET type and an Avro schema disagree (missing field without default, type mismatch, unsupported member type).</summary>
public class AvroBindingException : AvroException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public AvroBindingException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AvroBindingException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
