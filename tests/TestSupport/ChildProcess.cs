using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Pipeline.TestSupport;

/// <summary>
/// A process a test started, with its standard output and error captured (and copied to a log file when given).
/// Disposing kills it and its children if it is still running; so does the test host's exit, for a test that never
/// got to dispose it. <see cref="Kill"/> is SIGKILL: no shutdown code of the child runs.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    static readonly ConcurrentDictionary<int, Process> Running = new();

    readonly Process process;
    readonly StringBuilder stdout = new();
    readonly StringBuilder stderr = new();
    readonly StreamWriter? log;
    readonly Lock gate = new();

    static ChildProcess() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values) KillQuietly(process);
        };

    ChildProcess(ProcessStartInfo start, string? logFile)
    {
        if (logFile is not null) log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        if (!process.Start()) throw new InvalidOperationException($"{start.FileName} did not start");
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; private init; } = "";
    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    public string Stdout { get { lock (gate) return stdout.ToString(); } }
    public string Stderr { get { lock (gate) return stderr.ToString(); } }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null, string? logFile = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) start.Environment[key] = value;
        return new ChildProcess(start, logFile) { Name = $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}" };
    }

    /// <summary>Waits for the exit; past <paramref name="timeout"/> kills it and throws with what it printed.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var patience = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{Name} ran over {timeout.TotalSeconds:F0} s; it printed:\n{Tail(Stdout)}\n{Tail(Stderr)}");
        }
        process.WaitForExit(); // drains the redirected output
        Running.TryRemove(process.Id, out _);
        return process.ExitCode;
    }

    public void Kill() => KillQuietly(process);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) Kill();
        await process.WaitForExitAsync();
        Running.TryRemove(process.Id, out _);
        process.Dispose();
        log?.Dispose();
    }

    public static string Tail(string text, int lines = 40) => string.Join('\n', text.Split('\n').TakeLast(lines));

    void Append(StringBuilder buffer, string? line)
    {
        if (line is null) return;
        lock (gate)
        {
            buffer.AppendLine(line);
            log?.WriteLine(line);
        }
    }

    static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
