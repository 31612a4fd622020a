using System.Net;
using System.Net.Sockets;

namespace Pipeline.Hosting;

public static class FreePort
{
    /// <summary>A loopback port the OS just handed out and that is free again.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
