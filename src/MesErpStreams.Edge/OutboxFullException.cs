namespace MesErpStreams.Edge;

/// <summary>The edge outbox has reached its configured bound; the events were not accepted.</summary>
public sealed class OutboxFullException : Exception
{
    /// <summary>Creates the exception with the outbox's current size and its limits.</summary>
    /// <param name="events">Events in the outbox.</param>
    /// <param name="bytes">Bytes of event bodies in the outbox.</param>
    /// <param name="maxEvents">The event bound.</param>
    /// <param name="maxBytes">The byte bound.</param>
    public OutboxFullException(long events, long bytes, long maxEvents, long maxBytes)
        : base($"edge outbox is full: {events} events / {bytes} bytes waiting, limit {maxEvents} events / {maxBytes} bytes (--outbox-max-events / --outbox-max-bytes); Kafka must become reachable to drain it")
    {
        Events = events;
        Bytes = bytes;
    }

    /// <summary>Creates the exception.</summary>
    public OutboxFullException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public OutboxFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public OutboxFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Events waiting in the outbox when it refused.</summary>
    public long Events { get; }

    /// <summary>Bytes waiting in the outbox when it refused.</summary>
    public long Bytes { get; }
}
