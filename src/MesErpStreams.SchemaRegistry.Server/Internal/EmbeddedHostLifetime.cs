using Microsoft.Extensions.Hosting;

namespace MesErpStreams.SchemaRegistry.Server.Internal;

/// <summary>
/// The registry is a component inside someone else's process: it must not install the console lifetime, which
/// would take over Ctrl-C/SIGTERM from the host (the CLI) and swallow them. Its owner stops it by disposing it.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
