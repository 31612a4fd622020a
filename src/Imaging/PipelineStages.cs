using System.Runtime.InteropServices;

namespace Pipeline.Imaging;

/// <summary>The stages of a scene job whose CPU time <see cref="PipelineStages"/> adds up.</summary>
public enum PipelineStage
{
    /// <summary>Decoding the input's windows into tiles.</summary>
    Read,
    /// <summary>The upscaler itself.</summary>
    Model,
    /// <summary>Each tile's output against its input (consistency sums).</summary>
    Measure,
    /// <summary>Cutting a tile's output into weighted contributions and adding them into blocks.</summary>
    Blend,
    /// <summary>Rounding, compressing, and reducing a finished block for the overviews, where it was stitched.</summary>
    Encode,
    /// <summary>The writer placing encoded tiles, assembling the overview tiles no block covered whole, and the preview.</summary>
    Place,
    /// <summary>Laying the file out as a COG at commit (directories, then one pass copying encoded tiles).</summary>
    Layout,
}

/// <summary>
/// CPU time each <see cref="PipelineStage"/> has taken in this process, summed over its threads (the thread's own CPU
/// clock, so time spent waiting for a core on a loaded machine does not count). The job's own timers: a silo shows
/// them on /metrics, and the benchmark against GDAL prints them as its per-stage breakdown.
/// </summary>
public static partial class PipelineStages
{
    static readonly long[] Nanoseconds = new long[Enum.GetValues<PipelineStage>().Length];

    /// <summary>Times the calling thread's CPU until the scope is disposed.</summary>
    public static Scope Time(PipelineStage stage) => new(stage, ThreadCpuNanoseconds());

    /// <summary>CPU seconds per stage so far.</summary>
    public static IReadOnlyDictionary<PipelineStage, double> Seconds() =>
        Enum.GetValues<PipelineStage>().ToDictionary(stage => stage, stage => Interlocked.Read(ref Nanoseconds[(int)stage]) / 1e9);

    public readonly struct Scope(PipelineStage stage, long start) : IDisposable
    {
        public void Dispose() => Interlocked.Add(ref Nanoseconds[(int)stage], ThreadCpuNanoseconds() - start);
    }

    static long ThreadCpuNanoseconds()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        return ClockGetTime(ThreadCpuClock, out var time) == 0 ? time.Seconds * 1_000_000_000 + time.Nanoseconds : 0;
    }

    const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
