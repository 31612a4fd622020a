using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pipeline.Bench;

/// <summary>One timed run of a command: wall seconds, CPU seconds (user + system, from the kernel's accounting of
/// reaped children) and peak resident memory (VmHWM, read every 20 ms until it exits).</summary>
sealed record ChildRunResult(double Seconds, double CpuSeconds, double PeakMiB);

static class ChildRun
{
    public static async Task<ChildRunResult> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var cpuBefore = ChildrenCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
        var stderr = process.StandardError.ReadToEndAsync(cancellation);
        double peak = 0;
        while (!process.HasExited)
        {
            try { peak = Math.Max(peak, ProcessMemory.PeakResidentMiB(process.Id)); }
            catch (Exception e) when (e is IOException or InvalidDataException) { } // it exited between the check and the read
            await Task.Delay(20, cancellation);
        }
        await process.WaitForExitAsync(cancellation);
        clock.Stop();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        return new ChildRunResult(clock.Elapsed.TotalSeconds, ChildrenCpuSeconds() - cpuBefore, peak);
    }

    /// <summary>getrusage(RUSAGE_CHILDREN): CPU of every child this process has waited for.</summary>
    static double ChildrenCpuSeconds()
    {
        if (GetRusage(-1, out var usage) != 0) throw new InvalidOperationException("getrusage failed");
        return usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    static extern int GetRusage(int who, out ResourceUsage usage);

    /// <summary>The head of Linux's struct rusage (x86-64): ru_utime and ru_stime, then 14 longs this does not read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    struct ResourceUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, Ixrss, Idrss, Isrss, Minflt, Majflt, Nswap, Inblock, Oublock, Msgsnd, Msgrcv, Nsignals, Nvcsw, Nivcsw;
    }
}
