using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace Pipeline.Bench;

/// <summary>
/// One real silo host (<c>pipeline-silo</c>) as a child process: started with <c>--Key=value</c> settings, ready
/// when its <c>/health/ready</c> answers, its log in a file, its memory read from /proc, its Prometheus figures
/// scraped from <c>/metrics</c>. Disposing stops it (SIGTERM, then SIGKILL after a grace period).
/// </summary>
sealed class SiloProcess : IDisposable
{
    static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);
    static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(15);
    readonly Process process;
    readonly StreamWriter log;
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    bool logClosed;

    SiloProcess(Process process, StreamWriter log, int httpPort, string logPath)
    {
        this.process = process;
        this.log = log;
        HttpPort = httpPort;
        LogPath = logPath;
    }

    public int Pid => process.Id;
    public int HttpPort { get; }
    public string LogPath { get; }

    /// <summary>Resident memory now (MiB).</summary>
    public double ResidentMiB => ProcessMemory.ResidentMiB(Pid);

    /// <summary>Highest resident memory since the process started (MiB).</summary>
    public double PeakResidentMiB => ProcessMemory.PeakResidentMiB(Pid);

    public static async Task<SiloProcess> StartAsync(string siloHost, IReadOnlyDictionary<string, string> settings, int httpPort, string logPath)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(siloHost);
        foreach (var (key, value) in settings) start.ArgumentList.Add($"--{key}={value}");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{siloHost}: did not start");
        var silo = new SiloProcess(process, log, httpPort, logPath);
        process.OutputDataReceived += (_, line) => silo.Append(line.Data);
        process.ErrorDataReceived += (_, line) => silo.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo.WaitUntilReadyAsync();
            return silo;
        }
        catch
        {
            silo.Dispose();
            throw;
        }
    }

    /// <summary>The sum of a Prometheus metric's samples on this silo (0 when it has none yet).</summary>
    public async Task<double> MetricAsync(string name)
    {
        var text = await http.GetStringAsync($"http://127.0.0.1:{HttpPort}/metrics");
        var sum = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) && !line.StartsWith(name + " ", StringComparison.Ordinal)) continue;
            // name{labels} value [timestamp]
            sum += double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return sum;
    }

    async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartPatience;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the silo exited with code {process.ExitCode} while starting; see {LogPath}");
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{HttpPort}/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the silo was not ready within {StartPatience.TotalSeconds:F0} s; see {LogPath}");
            await Task.Delay(200);
        }
    }

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
