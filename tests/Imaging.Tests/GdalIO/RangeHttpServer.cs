using System.Net;
using System.Net.Sockets;

namespace Pipeline.Imaging.Tests.GdalIO;

/// <summary>Serves one folder on loopback with HTTP range requests, which GDAL's /vsicurl/ needs (Python's
/// http.server has none): the smallest stand-in for object storage serving a COG.</summary>
internal sealed class RangeHttpServer : IDisposable
{
    readonly HttpListener listener = new();
    readonly string folder;

    public RangeHttpServer(string folder)
    {
        this.folder = folder;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Prefixes.Add($"http://localhost:{Port}/");
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>How many ranged GETs were answered: GDAL reading windows, not the whole file.</summary>
    public int RangeRequests;

    public string Url(string name) => $"http://127.0.0.1:{Port}/{name}";

    /// <summary>Names answered with a 302 to another URL.</summary>
    public Dictionary<string, string> Redirects { get; } = [];

    /// <summary>Names answered with a body that never ends (zeros after a TIFF signature), ignoring ranges.</summary>
    public HashSet<string> Endless { get; } = [];

    /// <summary>Every name requested, in order.</summary>
    public List<string> Requested { get; } = [];

    async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }
            var name = Path.GetFileName(context.Request.Url!.AbsolutePath);
            lock (Requested) Requested.Add(name);
            if (Endless.Contains(name))
            {
                _ = StreamForeverAsync(context.Response);
                continue;
            }
            using var response = context.Response;
            if (Redirects.TryGetValue(name, out var location))
            {
                response.Redirect(location);
                continue;
            }
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                response.StatusCode = 404;
                continue;
            }
            var bytes = await File.ReadAllBytesAsync(path);
            response.Headers["Accept-Ranges"] = "bytes";
            var (first, last) = (0L, bytes.LongLength - 1);
            if (context.Request.Headers["Range"] is { } range && range.StartsWith("bytes="))
            {
                var parts = range[6..].Split('-');
                first = long.Parse(parts[0]);
                if (parts[1].Length > 0) last = Math.Min(last, long.Parse(parts[1]));
                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {first}-{last}/{bytes.LongLength}";
                Interlocked.Increment(ref RangeRequests);
            }
            response.ContentLength64 = last - first + 1;
            if (context.Request.HttpMethod != "HEAD")
                await response.OutputStream.WriteAsync(bytes.AsMemory((int)first, (int)(last - first + 1)));
        }
    }

    static async Task StreamForeverAsync(HttpListenerResponse response)
    {
        using (response)
        {
            response.SendChunked = true;
            var chunk = new byte[1 << 16];
            "II*\0"u8.CopyTo(chunk);
            try
            {
                while (true) await response.OutputStream.WriteAsync(chunk);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The reader hung up: the point of the test.
            }
        }
    }

    public void Dispose() => listener.Close();
}
