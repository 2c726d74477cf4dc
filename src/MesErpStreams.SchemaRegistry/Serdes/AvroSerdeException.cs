using Confluent.Kafka;

namespace MesErpStreams.SchemaRegistry.Serdes;

/// <summary>
/// A message could not be serialized or deserialized. The message names the topic, the schema id (when known)
/// and the cause: unknown magic byte, unknown schema id, incompatible schemas, truncated or corrupt payload,
/// schema not registered, registry unavailable.
/// </summary>
public sealed class AvroSerdeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Full message (names topic, schema id and cause).</param>
    /// <param name="topic">Topic of the message.</param>
    /// <param name="component">Key or value.</param>
    /// <param name="schemaId">Schema id from the payload or registry; null when not known.</param>
    /// <param name="inner">Underlying failure.</param>
    public AvroSerdeException(string message, string? topic, MessageComponentType component, int? schemaId, Exception? inner = null)
        : base(message, inner)
    {
        Topic = topic;
        Component = component;
        SchemaId = schemaId;
    }

    /// <summary>Topic of the message.</summary>
    public string? Topic { get; }

    /// <summary>Whether the key or the value failed.</summary>
    public MessageComponentType Component { get; }

    /// <summary>Schema id, when known.</summary>
    public int? SchemaId { get; }

    /// <summary>
    /// Whether <paramref name="error"/> or an exception it wraps is a transient registry failure
    /// (<see cref="SchemaRegistryException.IsTransient"/>): the message is not at fault, retry it instead of dead-lettering it.
    /// </summary>
    public static bool IsTransientFailure(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SchemaRegistryException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
