namespace MesErpStreams.Pipeline.Hosting;

/// <summary>The stream-processing engine of <c>meserp process</c>.</summary>
public enum ProcessingEngine
{
    /// <summary>Streamiz.Kafka.Net, the engine the design names (the default).</summary>
    Streamiz,

    /// <summary>The project's former runtime (src/MesErpStreams.Streams), to be removed once the switch has landed.</summary>
    Legacy,
}
