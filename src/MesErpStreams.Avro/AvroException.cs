namespace MesErpStreams.Avro;

/// <summary>Base class of every error raised by the Avro library.</summary>
public class AvroException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public AvroException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AvroException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
