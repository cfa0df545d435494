using System.Net;
using System.Net.Sockets;

namespace MLOps.Build.Testing;

/// <summary>Loopback ports for the servers the tests start (and for "nothing listens here"). Linked where needed.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port free a moment ago: the OS picks it, the listener is closed at once.</summary>
    public static int Free()
    {
        var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }
}
