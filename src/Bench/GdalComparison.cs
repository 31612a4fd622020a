using System.Globalization;
using System.Reflection;

namespace Pipeline.Bench;

/// <summary>
/// <c>bench-pipeline --parts gdal</c>: this pipeline's own cost next to GDAL's for the same job. Our job runs with
/// <c>--model bicubic</c>, so the model costs almost nothing and what is measured is reading, tiling, blending,
/// encoding, overviews and the COG layout; GDAL's <c>gdal_translate -r cubic</c> does the same resize into the same
/// layout (256-px tiles, Deflate with the horizontal predictor, all cores). Both as child processes, alternating
/// (A B A B) after one untimed run of each; medians and the ratio of medians.
/// </summary>
static class GdalComparison
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(string scene, double scale, int repeats, string folder, CancellationToken cancellation)
    {
        var sr = Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("cannot find the sr assembly to run");
        var percent = (scale * 100).ToString("R", Inv) + "%";
        var rows = new (string Label, string[] Ours, string[] Gdal)[]
        {
            ("COG with overviews", [], ["-of", "COG", "-co", "BLOCKSIZE=256", "-co", "OVERVIEW_RESAMPLING=AVERAGE"]),
            ("tiled GeoTIFF, no overviews", ["--no-overviews"], ["-of", "GTiff", "-co", "TILED=YES", "-co", "BLOCKXSIZE=256", "-co", "BLOCKYSIZE=256"]),
        };
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv, $"Against GDAL: {Path.GetFileName(scene)} ×{scale}, `sr upscale --model bicubic` against `gdal_translate -r cubic -outsize {percent} {percent}` (Deflate, predictor 2, NUM_THREADS=ALL_CPUS), medians of {repeats} alternating runs after one untimed run of each"));
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
    }

    static double Median(List<ChildRunResult> runs, Func<ChildRunResult, double> value)
    {
        var sorted = runs.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
