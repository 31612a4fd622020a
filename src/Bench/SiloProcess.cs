using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Pipeline.Hosting;

namespace Pipeline.Bench;

/// <summary>
/// One real silo host (<c>pipeline-silo</c>) as a child process on loopback, configured only through environment
/// variables as a container would be: ready when its <c>/health/ready</c> answers, its output in a log file, its
/// memory read from /proc, its Prometheus figures scraped from <c>/metrics</c>. Disposing stops it (SIGTERM, then
/// SIGKILL after a grace period); <see cref="Kill"/> stops it as a dying machine would. Used by
/// <c>sr bench-pipeline</c> and by the cluster tests.
/// </summary>
public sealed class SiloProcess : IDisposable, IAsyncDisposable
{
    static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(15);
    readonly Process process;
    readonly StreamWriter log;
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    bool logClosed;

    SiloProcess(string name, Process process, StreamWriter log, int httpPort, string logPath)
    {
        Name = name;
        this.process = process;
        this.log = log;
        HttpPort = httpPort;
        LogPath = logPath;
    }

    public string Name { get; }
    public int Pid => process.Id;
    public int HttpPort { get; }
    public string LogPath { get; }
    public bool HasExited => process.HasExited;

    /// <summary>Resident memory now (MiB).</summary>
    public double ResidentMiB => ProcessMemory.ResidentMiB(Pid);

    /// <summary>Highest resident memory since the process started (MiB).</summary>
    public double PeakResidentMiB => ProcessMemory.PeakResidentMiB(Pid);

    /// <summary>The settings every loopback silo shares: its addresses and free ports, one role for all, no dashboard,
    /// quiet logs, the given model. Keys as configuration spells them (<c>Orleans:Endpoints:SiloPort</c>).</summary>
    public static Dictionary<string, string?> LoopbackSettings(string name, int httpPort, string model, int? siloPort = null, int? gatewayPort = null) => new()
    {
        ["Orleans:Name"] = name,
        ["Orleans:Metadata:role"] = "worker,coordinator",
        ["Orleans:Endpoints:AdvertisedIPAddress"] = "127.0.0.1",
        ["Orleans:Endpoints:SiloPort"] = (siloPort ?? FreePort.Next()).ToString(CultureInfo.InvariantCulture),
        ["Orleans:Endpoints:GatewayPort"] = (gatewayPort ?? FreePort.Next()).ToString(CultureInfo.InvariantCulture),
        ["Pipeline:Model:Name"] = model,
        ["Pipeline:Http:Host"] = "127.0.0.1",
        ["Pipeline:Http:Port"] = httpPort.ToString(CultureInfo.InvariantCulture),
        ["Pipeline:Dashboard:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>Starts the host; does not wait for it (<see cref="WaitReadyAsync"/>).</summary>
    /// <param name="settings">Configuration keys (<c>A:B</c> or <c>A__B</c>) and values, passed as environment variables.</param>
    public static SiloProcess Start(string siloHost, string name, IReadOnlyDictionary<string, string?> settings, int httpPort, string logPath)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(siloHost)),
        };
        start.ArgumentList.Add(siloHost);
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{siloHost}: did not start");
        var silo = new SiloProcess(name, process, log, httpPort, logPath);
        process.OutputDataReceived += (_, line) => silo.Append(line.Data);
        process.ErrorDataReceived += (_, line) => silo.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Until <c>/health/ready</c> answers 200: the silo is Active in the cluster.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"silo {Name} exited with code {process.ExitCode} while starting; see {LogPath}");
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{HttpPort}/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"silo {Name} was not ready within {timeout.TotalSeconds:F0} s; see {LogPath}");
            await Task.Delay(200);
        }
    }

    /// <summary>The sum of a Prometheus metric's samples on this silo whose labels include all of
    /// <paramref name="labels"/> (0 when it has none yet).</summary>
    public async Task<double> MetricAsync(string name, params string[] labels)
    {
        var text = await http.GetStringAsync($"http://127.0.0.1:{HttpPort}/metrics");
        var sum = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) && !line.StartsWith(name + " ", StringComparison.Ordinal)) continue;
            if (!labels.All(label => line.Contains(label, StringComparison.Ordinal))) continue;
            // name{labels} value [timestamp]
            sum += double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return sum;
    }

    /// <summary>SIGKILL: the silo stops without a word to the cluster, as when its machine dies.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                // A graceful stop first, as an orchestrator would; a silo that does not stop in time is killed.
                Terminate(process.Id, SigTerm);
                if (!process.WaitForExit(StopPatience)) process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        finally
        {
            process.Dispose();
            http.Dispose();
            lock (log)
            {
                logClosed = true;
                log.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    void Append(string? line)
    {
        if (line is null) return;
        lock (log)
        {
            if (!logClosed) log.WriteLine(line);
        }
    }

    const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Terminate(int pid, int signal);
}
