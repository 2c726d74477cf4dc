using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MesErpStreams.Kafka.Embedded.Internal;

/// <summary>
/// Relays TCP connections from a loopback port (fixed, or ephemeral with port 0) to a broker's port, and simulates
/// the broker's outage: <see cref="Down"/> cuts every relayed connection and refuses new ones (accepted and reset at
/// once) until <see cref="Up"/>, while its own listener, and the broker's, stay bound.
/// </summary>
internal sealed class PortForwarder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, (Socket Client, Socket Upstream)> _relays = new();
    private long _nextRelay;
    private volatile bool _down;
    private int _disposed;

    private PortForwarder(TcpListener listener, int targetPort)
    {
        _listener = listener;
        _targetPort = targetPort;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The port clients connect to.</summary>
    public int Port { get; }

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

    /// <summary>The broker is unreachable: open connections are reset, new ones are reset when accepted.</summary>
    public void Down()
    {
        _down = true;
        foreach (var (id, relay) in _relays)
        {
            if (_relays.TryRemove(id, out _))
            {
                Reset(relay.Client);
                Reset(relay.Upstream);
            }
        }
    }

    /// <summary>The broker is reachable again.</summary>
    public void Up() => _down = false;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _listener.Stop();
        foreach (var relay in _relays.Values)
        {
            Reset(relay.Client);
            Reset(relay.Upstream);
        }

        _stop.Dispose();
    }

    private static void Reset(Socket s)
    {
        try
        {
            s.LingerState = new LingerOption(true, 0); // RST, as from a crashed host, not an orderly FIN
            s.Close();
        }
        catch (ObjectDisposedException)
        {
            // the relay ended on its own at the same moment
        }
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return; // listener stopped
            }

            if (_down)
            {
                Reset(client);
                continue;
            }

            _ = RelayAsync(client, token);
        }
    }

    private async Task RelayAsync(Socket client, CancellationToken token)
    {
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var id = Interlocked.Increment(ref _nextRelay);
        try
        {
            client.NoDelay = true;
            upstream.NoDelay = true;
            await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _targetPort), token);
            _relays[id] = (client, upstream);
            if (_down)
            {
                return; // went down while connecting
            }

            using var a = new NetworkStream(client, ownsSocket: false);
            using var b = new NetworkStream(upstream, ownsSocket: false);
            // Whichever side closes first ends the relay; the finally closes the other.
            await Task.WhenAny(a.CopyToAsync(b, token), b.CopyToAsync(a, token));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A broker taken down or a client going away ends its relayed connection; Kafka clients reconnect.
        }
        finally
        {
            _relays.TryRemove(id, out _);
            client.Dispose();
            upstream.Dispose();
        }
    }
}
