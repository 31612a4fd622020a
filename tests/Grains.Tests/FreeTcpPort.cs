using System.Net;
using System.Net.Sockets;

namespace Pipeline.Grains.Tests;

static class FreeTcpPort
{
    /// <summary>A loopback port the OS just handed out and that is free again (for settings that need a number up front).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
