using System.Globalization;
using System.Net;
using Pipeline.Hosting;

namespace Pipeline.Cluster.Tests;

/// <summary>
/// One silo process: the real host (<c>dotnet pipeline-silo.dll</c> in src/Silo's build output), configured only
/// through <c>Orleans__*</c>/<c>Pipeline__*</c> environment variables as a container would be, on free loopback ports.
/// Its output goes to a log file in the cluster's folder.
/// </summary>
sealed class SiloProcess : IAsyncDisposable
{
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    readonly ChildProcess process;

    SiloProcess(string name, ChildProcess process, int httpPort, string logFile)
    {
        Name = name;
        this.process = process;
        HttpPort = httpPort;
        LogFile = logFile;
    }

    public string Name { get; }
    public int HttpPort { get; }
    public string LogFile { get; }
    public bool HasExited => process.HasExited;

    /// <param name="model">The silo's <c>Pipeline:Model:Name</c>; bicubic keeps the batch tests fast.</param>
    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string?> cluster, string folder, string model = "bicubic")
    {
        var httpPort = FreePort.Next();
        var environment = new Dictionary<string, string?>(cluster)
        {
            ["Pipeline__Model__Name"] = model,
            ["Orleans__Name"] = name,
            ["Orleans__Metadata__role"] = "worker,coordinator",
            ["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1",
            ["Orleans__Endpoints__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans__Endpoints__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Pipeline__Http__Host"] = "127.0.0.1",
            ["Pipeline__Http__Port"] = httpPort.ToString(CultureInfo.InvariantCulture),
            ["Pipeline__Dashboard__Enabled"] = "false",
            ["Pipeline__ShutdownTimeout"] = "00:00:05",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information",
            ["Logging__LogLevel__Pipeline"] = "Information",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        var logFile = Path.Combine(folder, $"{name}.log");
        var silo = BuildOutput.File("Silo", "pipeline-silo.dll");
        var process = ChildProcess.Start("dotnet", [silo], environment, workingDirectory: Path.GetDirectoryName(silo), logFile: logFile);
        return new SiloProcess(name, process, httpPort, logFile);
    }

    /// <summary>Until <c>/health/ready</c> answers 200: the silo is Active in the cluster.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"silo {Name} exited with {process.ExitCode}:\n{ChildProcess.Tail(process.Stdout + process.Stderr)}");
            try
            {
                using var response = await Http.GetAsync($"http://127.0.0.1:{HttpPort}/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"silo {Name} was not ready within {timeout.TotalSeconds:F0} s:\n{ChildProcess.Tail(process.Stdout + process.Stderr)}");
            await Task.Delay(250);
        }
    }

    /// <summary>The Prometheus text of <c>/metrics</c>.</summary>
    public Task<string> MetricsAsync() => Http.GetStringAsync($"http://127.0.0.1:{HttpPort}/metrics");

    /// <summary>SIGKILL: the silo stops without a word to the cluster, as when its machine dies.</summary>
    public void Kill() => process.Kill();

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
