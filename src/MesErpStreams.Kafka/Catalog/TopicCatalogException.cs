namespace MesErpStreams.Kafka.Catalog;

/// <summary>The topic catalog is malformed; the message names the topic and the field.</summary>
public sealed class TopicCatalogException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TopicCatalogException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
