using Microsoft.Extensions.Hosting;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>
/// Host lifetime that leaves Ctrl+C/SIGTERM alone: the simulator runs inside other processes (<c>meserp run</c>,
/// tests), whose owner decides when it stops by disposing it.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
