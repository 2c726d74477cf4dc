namespace MesErpStreams.Avro;

/// <summary>A writer schema cannot be resolved to a reader schema (the reader cannot read what the writer wrote).</summary>
public class AvroResolutionException : AvroException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public AvroResolutionException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AvroResolutionException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
