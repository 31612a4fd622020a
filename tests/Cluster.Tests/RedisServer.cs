using System.Net.Sockets;
using System.Text;

namespace Pipeline.Cluster.Tests;

/// <summary>A real redis-server (Debian's <c>redis-server</c> package) on a free loopback port, with no persistence,
/// killed when disposed.</summary>
sealed class RedisServer : IAsyncDisposable
{
    readonly ChildProcess process;
    readonly string folder;

    RedisServer(ChildProcess process, string folder, int port)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>As Orleans' Redis providers and <c>sr --cluster</c> take it.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; .ci/run does it)");
        var folder = Directory.CreateTempSubdirectory("sr-redis-").FullName;
        var port = FreeTcpPort.Next();
        var process = ChildProcess.Start(binary,
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder, "--protected-mode", "no"],
            logFile: Path.Combine(folder, "redis.log"));
        var server = new RedisServer(process, folder, port);
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
        await using var cli = ChildProcess.Start("redis-cli", ["-p", Port.ToString(), "--scan"]);
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
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
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
