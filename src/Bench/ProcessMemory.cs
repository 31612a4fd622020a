namespace Pipeline.Bench;

/// <summary>Resident memory of a Linux process from /proc/&lt;pid&gt;/status: the current set (VmRSS) and its
/// high-water mark over the process's life (VmHWM), in MiB.</summary>
static class ProcessMemory
{
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
