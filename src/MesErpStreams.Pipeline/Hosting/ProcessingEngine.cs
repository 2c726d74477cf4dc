namespace MesErpStreams.Pipeline.Hosting;

/// <summary>The stream-processing engine of <c>meserp process</c>.</summary>
public enum ProcessingEngine
{
    /// <summary>The project's own runtime (src/MesErpStreams.Streams), to be removed once the switch has landed.</summary>
    Legacy,

    /// <summary>Streamiz.Kafka.Net, the engine the design names.</summary>
    Streamiz,
}
