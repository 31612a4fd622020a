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
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>How many ranged GETs were answered: GDAL reading windows, not the whole file.</summary>
    public int RangeRequests;

    public string Url(string name) => $"http://127.0.0.1:{Port}/{name}";

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
            using var response = context.Response;
            var path = Path.Combine(folder, Path.GetFileName(context.Request.Url!.AbsolutePath));
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

    public void Dispose() => listener.Close();
}
