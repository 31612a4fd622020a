namespace Pipeline.Bench;

/// <summary>Resident memory of a Linux process from /proc/&lt;pid&gt;/status: the current set (VmRSS) and its
/// high-water mark (VmHWM), in MiB. The high-water mark covers the process's life, or the time since this process
/// last called <see cref="ResetOwnPeak"/>.</summary>
public static class ProcessMemory
{
    /// <summary>Restarts this process's VmHWM from its current resident set (writes 5 to /proc/self/clear_refs), so that
    /// one process can measure the peak of each of several runs in turn.</summary>
    public static void ResetOwnPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    public static double ResidentMiB(int pid) => Read(pid, "VmRSS:");

    public static double PeakResidentMiB(int pid) => Read(pid, "VmHWM:");

    static double Read(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            // "VmHWM:	  128480 kB"
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) / 1024.0;
        }
        throw new InvalidDataException($"/proc/{pid}/status has no {field} line (not Linux?)");
    }
}
