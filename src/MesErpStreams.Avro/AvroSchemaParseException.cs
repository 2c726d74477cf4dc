namespace MesErpStreams.Avro;

/// <summary>A schema text is not valid JSON or not a valid Avro schema.</summary>
public class AvroSchemaParseException : AvroException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public AvroSchemaParseException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AvroSchemaParseException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
