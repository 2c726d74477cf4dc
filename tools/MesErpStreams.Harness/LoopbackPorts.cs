using System.Net;
using System.Net.Sockets;

namespace MesErpStreams.Harness;

/// <summary>Ports for the child processes' listeners.</summary>
public static class LoopbackPorts
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick; another process may take it first).</summary>
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
