using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Pipeline.Grains.Jobs;
using Pipeline.Hosting;
using Pipeline.Imaging;
using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Bench;

/// <summary>
/// <c>bench-pipeline --parts gdal</c>: this pipeline's own cost next to GDAL's for the same job. Our job runs with
/// <c>--model bicubic</c>, so the model costs almost nothing and what is measured is reading, tiling, blending,
/// encoding, overviews and the COG layout; GDAL's <c>gdal_translate -r cubic</c> does the same resize into the same
/// layout (256-px tiles, Deflate with the horizontal predictor, all cores). Both as child processes, alternating
/// (A B A B) after one untimed run of each; medians and the ratio of medians. Then one more job in this process,
/// whose own stage timers (<see cref="PipelineStages"/>) say where its CPU went.
/// </summary>
static class GdalComparison
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(string scene, double scale, int repeats, string folder, CancellationToken cancellation)
    {
        var sr = Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("cannot find the sr assembly to run");
        var percent = (scale * 100).ToString("R", Inv) + "%";
        string[] cog = ["-of", "COG", "-co", "BLOCKSIZE=256", "-co", "OVERVIEW_RESAMPLING=AVERAGE"];
        var rows = new (string Label, string[] Ours, string[] Gdal)[]
        {
            ("COG with overviews", [], cog),
            ("COG with overviews, `--consistency off`", ["--consistency", "off"], cog),
            ("no overviews", ["--no-overviews"], ["-of", "GTiff", "-co", "TILED=YES", "-co", "BLOCKXSIZE=256", "-co", "BLOCKYSIZE=256"]),
        };
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv, $"Against GDAL: {Path.GetFileName(scene)} ×{scale}, `sr upscale --model bicubic` against `gdal_translate -r cubic -outsize {percent} {percent}` (Deflate, predictor 2, NUM_THREADS=ALL_CPUS), medians of {repeats} alternating runs after one untimed run of each; load average {LoadAverage()} at the start"));
        Console.WriteLine();
        Console.WriteLine("| output | ours s | GDAL s | wall ratio | ours CPU s | GDAL CPU s | CPU ratio | ours peak MiB | GDAL peak MiB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (label, ours, gdal) in rows)
        {
            var ourOutput = Path.Combine(folder, "ours.tif");
            var gdalOutput = Path.Combine(folder, "gdal.tif");
            string[] ourArguments = [sr, "upscale", scene, "--out", ourOutput, "--scale", scale.ToString("R", Inv), "--model", "bicubic", "--quiet", .. ours];
            string[] gdalArguments = ["-q", "-r", "cubic", "-outsize", percent, percent, "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2", "-co", "NUM_THREADS=ALL_CPUS", .. gdal, scene, gdalOutput];
            var (ourRuns, gdalRuns) = (new List<ChildRunResult>(), new List<ChildRunResult>());
            for (var run = 0; run <= repeats; run++)
            {
                File.Delete(gdalOutput);
                var a = await ChildRun.RunAsync("dotnet", ourArguments, cancellation);
                var b = await ChildRun.RunAsync("gdal_translate", gdalArguments, cancellation);
                if (run == 0) continue; // warm-up: file cache, JIT of the first run
                ourRuns.Add(a);
                gdalRuns.Add(b);
            }
            var (oursWall, gdalWall) = (Median(ourRuns, r => r.Seconds), Median(gdalRuns, r => r.Seconds));
            var (oursCpu, gdalCpu) = (Median(ourRuns, r => r.CpuSeconds), Median(gdalRuns, r => r.CpuSeconds));
            Console.WriteLine(string.Create(Inv,
                $"| {label} | {oursWall:F2} | {gdalWall:F2} | {oursWall / gdalWall:F2} | {oursCpu:F2} | {gdalCpu:F2} | {oursCpu / gdalCpu:F2} | {Median(ourRuns, r => r.PeakMiB):F0} | {Median(gdalRuns, r => r.PeakMiB):F0} |"));
        }
        await BreakdownAsync(scene, scale, folder, cancellation);
    }

    /// <summary>One job of the first row on an embedded silo in this process: CPU seconds per stage from the job's own
    /// timers, and what the stages do not cover (Orleans messages, scheduling, garbage collection).</summary>
    static async Task BreakdownAsync(string scene, double scale, string folder, CancellationToken cancellation)
    {
        var upscaler = new BicubicUpscaler();
        await using var embedded = await ClusterConnection.EmbeddedAsync(upscaler, Environment.ProcessorCount, cancellation);
        var spec = new SceneJobSpec(scene, Path.Combine(folder, "breakdown.tif"), scale, upscaler.Name, Compression: OutputCompression.Deflate, Format: OutputKind.Cog);
        await JobRunner.RunAsync(embedded.Grains, spec with { OutputPath = Path.Combine(folder, "warm-up.tif") }, cancellation);
        var before = PipelineStages.Seconds();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var job = await JobRunner.RunAsync(embedded.Grains, spec, cancellation);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - cpuBefore;
        var after = PipelineStages.Seconds();
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv, $"Where our COG job's CPU goes (one job on an embedded silo, after one untimed: {job.Seconds:F2} s wall, {cpu:F2} s CPU; stage timers are each thread's CPU clock)"));
        Console.WriteLine();
        Console.WriteLine("| stage | CPU s | share |");
        Console.WriteLine("|---|---:|---:|");
        var staged = 0.0;
        foreach (var stage in Enum.GetValues<PipelineStage>())
        {
            var seconds = after[stage] - before[stage];
            staged += seconds;
            Console.WriteLine(string.Create(Inv, $"| {Describe(stage)} | {seconds:F2} | {100 * seconds / cpu:F0} % |"));
        }
        Console.WriteLine(string.Create(Inv, $"| the rest: messages, scheduling, garbage collection, start of the job | {cpu - staged:F2} | {100 * (cpu - staged) / cpu:F0} % |"));
    }

    static string Describe(PipelineStage stage) => stage switch
    {
        PipelineStage.Read => "read: decode input windows",
        PipelineStage.Model => "model (bicubic)",
        PipelineStage.Measure => "consistency sums",
        PipelineStage.Blend => "blend: contributions and block sums",
        PipelineStage.Encode => "encode: round, compress, reduce (stitchers)",
        PipelineStage.Place => "place: writer, overview tiles past a block, preview",
        PipelineStage.Layout => "COG layout at commit",
        _ => stage.ToString(),
    };

    static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    static double Median(List<ChildRunResult> runs, Func<ChildRunResult, double> value)
    {
        var sorted = runs.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
