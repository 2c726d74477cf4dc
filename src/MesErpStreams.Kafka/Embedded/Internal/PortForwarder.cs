using System.Net;
using System.Net.Sockets;

namespace MesErpStreams.Kafka.Embedded.Internal;

/// <summary>Relays TCP connections from a fixed loopback port to a broker's ephemeral port.</summary>
internal sealed class PortForwarder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();

    private PortForwarder(TcpListener listener, int targetPort)
    {
        _listener = listener;
        _targetPort = targetPort;
    }

    internal static PortForwarder Start(int listenPort, int targetPort)
    {
        var listener = new TcpListener(IPAddress.Loopback, listenPort);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new EmbeddedKafkaException($"cannot listen on 127.0.0.1:{listenPort}: {e.Message}");
        }

        var f = new PortForwarder(listener, targetPort);
        _ = f.AcceptLoopAsync();
        return f;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return; // listener stopped
            }

            _ = RelayAsync(client, token);
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken token)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                upstream.NoDelay = true;
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, token);
                var a = client.GetStream();
                var b = upstream.GetStream();
                // Whichever side closes first ends the relay; the using blocks close the other.
                await Task.WhenAny(a.CopyToAsync(b, token), b.CopyToAsync(a, token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A broker taken down or a client going away ends its relayed connection; Kafka clients reconnect.
            }
        }
    }
}
