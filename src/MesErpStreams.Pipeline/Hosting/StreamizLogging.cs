using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesErpStreams.Pipeline.Hosting;

/// <summary>
/// The logger factory Streamiz is given. Streamiz 1.8.2 keeps the factory of the last instance created in a static
/// (KafkaStream's constructor sets it) and every StreamBuilder, topology and task it builds afterwards asks it for
/// loggers; once the host that owned that factory disposed it, the next topology built in the process failed with
/// ObjectDisposedException (two test classes that ran processors one after the other, then a third that built a
/// topology). Streamiz holds this forwarding factory instead, which is never disposed: it forwards to the factory
/// of the pipeline that started last, and to no logger once that pipeline is disposed.
/// </summary>
internal sealed class StreamizLogging : ILoggerFactory
{
    private static ILoggerFactory _target = NullLoggerFactory.Instance;

    /// <summary>The instance Streamiz holds.</summary>
    public static readonly StreamizLogging Factory = new();

    private StreamizLogging()
    {
    }

    /// <summary>Streamiz's loggers go to <paramref name="loggers"/> from now on.</summary>
    public static void Use(ILoggerFactory loggers) => Volatile.Write(ref _target, loggers);

    /// <summary>Before <paramref name="loggers"/> is disposed: stop forwarding to it (if it is still the target).</summary>
    public static void Release(ILoggerFactory loggers) => Interlocked.CompareExchange(ref _target, NullLoggerFactory.Instance, loggers);

    public ILogger CreateLogger(string categoryName) => Volatile.Read(ref _target).CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("add providers to the pipeline's own logger factory");

    public void Dispose()
    {
        // Shared by every Streamiz instance of the process: never disposed (the target's owner disposes it).
    }
}
