namespace MesErpStreams.Pipeline.Engine;

/// <summary>
/// Streamiz calls processors synchronously on its own stream threads. The registry serdes complete synchronously
/// once a schema id is cached (every record after the first of each schema); only a cache miss waits for an HTTP
/// call, on that dedicated stream thread (never a thread-pool thread), as Kafka Streams' registry serdes do.
/// </summary>
internal static class RegistryCall
{
    public static T Result<T>(Task<T> task) => task.IsCompletedSuccessfully ? task.Result : task.GetAwaiter().GetResult();
}
