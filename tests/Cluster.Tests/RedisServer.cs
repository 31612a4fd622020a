using System.Net.Sockets;
using System.Text;
using Pipeline.Hosting;

namespace Pipeline.Cluster.Tests;

/// <summary>A real redis-server (Debian's <c>redis-server</c> package) on a free loopback port, with no persistence and
/// optionally a password (as the Kubernetes manifests run it), killed when disposed.</summary>
sealed class RedisServer : IAsyncDisposable
{
    readonly ChildProcess process;
    readonly string folder;

    readonly string? password;

    RedisServer(ChildProcess process, string folder, int port, string? password)
    {
        this.process = process;
        this.folder = folder;
        this.password = password;
        Port = port;
    }

    public int Port { get; }

    /// <summary>As Orleans' Redis providers and <c>sr --cluster</c> take it.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}" + (password is null ? "" : $",password={password}");

    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; .ci/run does it)");
        var folder = Directory.CreateTempSubdirectory("sr-redis-").FullName;
        var port = FreePort.Next();
        var process = ChildProcess.Start(binary,
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder, "--protected-mode", "no",
                .. password is null ? Array.Empty<string>() : ["--requirepass", password]],
            logFile: Path.Combine(folder, "redis.log"));
        var server = new RedisServer(process, folder, port, password);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await server.AnswersPingAsync())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"redis-server did not start on port {port}:\n{process.Stdout}{process.Stderr}");
            }
            await Task.Delay(100);
        }
        return server;
    }

    /// <summary>Every key in the server (a test server holds a few hundred at most).</summary>
    public async Task<IReadOnlyList<string>> KeysAsync()
    {
        await using var cli = ChildProcess.Start("redis-cli", ["-p", Port.ToString(), "--scan"],
            password is null ? null : new Dictionary<string, string?> { ["REDISCLI_AUTH"] = password });
        await cli.WaitAsync(TimeSpan.FromSeconds(30));
        return cli.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes((password is null ? "" : $"AUTH {password}\r\n") + "PING\r\n"));
            var buffer = new byte[64];
            var reply = "";
            while (!reply.Contains("+PONG", StringComparison.Ordinal) && !reply.Contains('-') && reply.Count(c => c == '\n') < 2)
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0) break;
                reply += Encoding.ASCII.GetString(buffer, 0, read);
            }
            return reply.Contains("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }
}
