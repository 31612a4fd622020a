using Pipeline.Hosting;
namespace Pipeline.Cluster.Tests;

/// <summary>
/// A real PostgreSQL server (Debian's <c>postgresql</c> package, <c>initdb</c> + <c>pg_ctl</c>) in a temporary folder
/// on a free loopback port, with a database <c>orleans</c> set up by the repository's own
/// <c>deploy/sql/postgresql/apply.sh</c>. PostgreSQL refuses to run as root, so as root (CI) the server runs as the
/// <c>postgres</c> user the package creates. Stopped and deleted when disposed, or when the test host exits.
/// </summary>
sealed class PostgresServer : IAsyncDisposable
{
    static readonly bool AsRoot = Environment.UserName == "root";
    readonly string bin;
    readonly string folder;
    bool stopped;

    PostgresServer(string bin, string folder, int port)
    {
        this.bin = bin;
        this.folder = folder;
        Port = port;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    public int Port { get; }

    /// <summary>For Orleans' ADO.NET providers (Invariant Npgsql).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=orleans;Username=postgres";

    /// <summary>For psql.</summary>
    public string Uri => $"postgresql://postgres@127.0.0.1:{Port}/orleans";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var version) ? version : 0).FirstOrDefault()
            : null;
        if (bin is null) throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)");
        var folder = Directory.CreateTempSubdirectory("sr-postgres-").FullName;
        if (AsRoot) await RunAsync("chown", "postgres", folder);
        var server = new PostgresServer(bin, folder, FreePort.Next());
        try
        {
            await server.AsServerUserAsync("initdb", "-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
            await server.AsServerUserAsync("pg_ctl", "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60",
                "-o", $"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
            await RunAsync("psql", $"postgresql://postgres@127.0.0.1:{server.Port}/postgres", "-XqAc", "CREATE DATABASE orleans");
            await RunAsync("bash", Path.Combine(Repository.Root, "deploy", "sql", "postgresql", "apply.sh"), server.Uri);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>One psql query's rows, fields separated by '|'.</summary>
    public async Task<IReadOnlyList<string>> QueryAsync(string sql) =>
        (await RunAsync("psql", Uri, "-XtAc", sql)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    Task<string> AsServerUserAsync(string program, params string[] arguments) =>
        AsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, program), .. arguments]) : RunAsync(Path.Combine(bin, program), arguments);

    static async Task<string> RunAsync(string program, params string[] arguments)
    {
        await using var process = ChildProcess.Start(program, arguments);
        var exitCode = await process.WaitAsync(TimeSpan.FromMinutes(1));
        if (exitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: exit {exitCode}\n{process.Stdout}{process.Stderr}");
        return process.Stdout;
    }

    void Stop()
    {
        if (stopped) return;
        stopped = true;
        var stop = AsServerUserAsync("pg_ctl", "-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop");
        try
        {
            stop.GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Not running (it failed to start).
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        Directory.Delete(folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
