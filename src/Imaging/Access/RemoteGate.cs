using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Imaging.Access;

/// <summary>
/// The one way out for GDAL's network reads: a forward proxy on loopback (GDAL_HTTP_PROXY points at it) that checks
/// every connection GDAL opens, not only the path a job named. A redirect to a host the <see cref="InputPolicy"/> does
/// not list is a new connection and is refused; a listed name is resolved here, once, and the address checked is the
/// address connected to (a name that re-resolves to loopback between check and connect gains nothing); and each
/// connection carries at most <see cref="MaxBytesPerConnection"/> from the server, so a server that streams without
/// end (or ignores ranges on a vast file) cannot fill a silo's memory: GDAL buffers what it is sent. https goes
/// through as a CONNECT tunnel (its bytes counted, never decrypted); plain http, where allowed, one request per
/// connection.
/// </summary>
public sealed class RemoteGate : IDisposable
{
    /// <summary>The default byte budget of one connection: above a range read's few MiB, far below a silo's memory.</summary>
    public const long DefaultMaxBytesPerConnection = 2L << 30;

    static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(15);
    static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    const int MaxHeadBytes = 64 << 10;

    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly Action<string> warn;

    RemoteGate(InputPolicy policy, long maxBytesPerConnection, Action<string> warn)
    {
        Policy = policy;
        MaxBytesPerConnection = maxBytesPerConnection;
        this.warn = warn;
        listener.Start();
        _ = AcceptAsync();
    }

    public InputPolicy Policy { get; }

    public long MaxBytesPerConnection { get; }

    /// <summary>host:port, as GDAL_HTTP_PROXY takes it.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <param name="warn">Told each refusal and each connection cut at its budget, in one line.</param>
    public static RemoteGate Start(InputPolicy policy, long maxBytesPerConnection = DefaultMaxBytesPerConnection, Action<string>? warn = null)
    {
        if (maxBytesPerConnection <= 0) throw new ArgumentOutOfRangeException(nameof(maxBytesPerConnection), maxBytesPerConnection, "must be positive");
        return new RemoteGate(policy, maxBytesPerConnection, warn ?? (_ => { }));
    }

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            _ = ServeAsync(client);
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await ServeOneAsync(client.GetStream());
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client (GDAL) or the server went away: nothing to tell either.
            }
        }
    }

    async Task ServeOneAsync(NetworkStream downstream)
    {
        var (head, body) = await ReadHeadAsync(downstream);
        if (head is null) return;
        var lines = head.Split("\r\n");
        var request = lines[0].Split(' ');
        if (request.Length != 3)
        {
            await RefuseAsync(downstream, 400, "not an HTTP request");
            return;
        }
        var (method, target) = (request[0], request[1]);
        Uri? uri = null;
        var connect = method == "CONNECT";
        if (connect ? !Uri.TryCreate($"https://{target}/", UriKind.Absolute, out uri) : !Uri.TryCreate(target, UriKind.Absolute, out uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            await RefuseAsync(downstream, 400, $"'{target}' is not a host:port to tunnel to or an http:// URL");
            return;
        }
        var (address, problem) = await CheckAsync(uri!);
        if (problem is not null)
        {
            warn($"remote read refused: {uri!.Scheme}://{uri.Authority}: {problem}");
            await RefuseAsync(downstream, 403, problem);
            return;
        }

        using var server = new TcpClient(address!.AddressFamily);
        using (var connecting = new CancellationTokenSource(ConnectTimeout))
        {
            try
            {
                await server.ConnectAsync(address, uri!.Port, connecting.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                await RefuseAsync(downstream, 502, $"{uri.Authority} does not answer ({e.Message})");
                return;
            }
        }
        var upstream = server.GetStream();
        if (connect)
        {
            await downstream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray());
        }
        else
        {
            // Origin form, and one request per connection: the next request may be for another host, and is checked.
            var headers = lines.Skip(1).Where(line => line.Length > 0 && !IsHopHeader(line));
            var forwarded = $"{method} {uri.PathAndQuery} {request[2]}\r\n{string.Join("\r\n", headers)}\r\nConnection: close\r\n\r\n";
            await upstream.WriteAsync(Encoding.Latin1.GetBytes(forwarded));
        }
        if (body.Length > 0) await upstream.WriteAsync(body);

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var up = Pump(downstream, upstream, long.MaxValue, ended.Token);
        var down = Pump(upstream, downstream, MaxBytesPerConnection, ended.Token);
        var first = await Task.WhenAny(up, down);
        if (first == down && await down)
            warn($"remote read cut: {uri.Authority} sent more than {MaxBytesPerConnection:N0} bytes on one connection (Pipeline:Inputs:MaxBytesPerConnection)");
        await ended.CancelAsync();
    }

    /// <summary>Where to connect for <paramref name="uri"/>, or why not: the policy's hosts and protocols, then the
    /// addresses the name resolves to now (all must be public unless private ones are allowed).</summary>
    async Task<(IPAddress? Address, string? Problem)> CheckAsync(Uri uri)
    {
        if (Policy.ConnectionProblem(uri) is { } refused) return (null, refused);
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal) ? [literal]
                : await Dns.GetHostAddressesAsync(uri.IdnHost).WaitAsync(ConnectTimeout, stop.Token);
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return (null, $"host {uri.IdnHost} does not resolve ({e.Message})");
        }
        if (addresses.Length == 0) return (null, $"host {uri.IdnHost} has no address");
        if (!Policy.AllowPrivateAddresses && addresses.FirstOrDefault(a => !PublicAddresses.IsPublic(a)) is { } inner)
            return (null, $"host {uri.IdnHost} is at {inner}, a {PublicAddresses.Describe(inner)} address (Pipeline:Inputs:AllowPrivateAddresses)");
        return (addresses[0], null);
    }

    /// <summary>Copies until the source ends or <paramref name="budget"/> bytes have passed; true when the budget ended it.</summary>
    static async Task<bool> Pump(Stream from, Stream to, long budget, CancellationToken cancellation)
    {
        var buffer = new byte[81920];
        long passed = 0;
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellation)) > 0)
            {
                if ((passed += read) > budget) return true;
                await to.WriteAsync(buffer.AsMemory(0, read), cancellation);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        return false;
    }

    /// <summary>The request head (up to the blank line) and any bytes read past it; head null when the client sent
    /// none in time or too much.</summary>
    static async Task<(string? Head, byte[] Body)> ReadHeadAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(HeadTimeout);
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token);
            if (read == 0) return (null, []);
            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0) return (Encoding.Latin1.GetString(buffer, 0, end), buffer[(end + 4)..length]);
        }
        return (null, []);
    }

    static bool IsHopHeader(string line) =>
        line.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
        || line.StartsWith("Keep-Alive:", StringComparison.OrdinalIgnoreCase);

    static async Task RefuseAsync(Stream stream, int status, string reason)
    {
        var body = Encoding.UTF8.GetBytes(reason + "\n");
        var phrase = status switch { 400 => "Bad Request", 403 => "Forbidden", _ => "Bad Gateway" };
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {phrase}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
        await stream.WriteAsync(body);
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }
}
