using System.Diagnostics;
using Pipeline.Grains.Workers;
using Pipeline.Grains.Jobs;
using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;

namespace Pipeline.Bench;

/// <summary>One scene and model: median seconds of the plain in-process loop and of the embedded pipeline (job
/// submitted to job seen finished), the ratio of each repetition's pair, median CPU seconds of this process over each
/// path (less sensitive than wall time to other processes on the machine), and the embedded silo's start and stop.</summary>
sealed record OverheadRow(
    string Scene, int Width, int Height, string Model, int Tiles, int Repeats,
    double LoopSeconds, double PipelineSeconds, double MedianRatio, double MinRatio, double MaxRatio,
    double LoopCpuSeconds, double PipelineCpuSeconds, double SiloStartSeconds, double SiloStopSeconds);

/// <summary>
/// The cost of running a scene as Orleans grains rather than as a loop: the same upscaler instance, tiling, tile
/// concurrency and output options through (a) <see cref="SceneUpscaleJob"/> (read, upscale, blend, write in one
/// process, no grains) and (b) the embedded silo <c>upscale</c> starts (job, worker, stitcher and writer grains).
/// The two alternate, after one untimed run of each, so that a background load drifting over time hits both alike.
/// </summary>
static class PipelineOverhead
{
    public static async Task<OverheadRow> MeasureAsync(string scene, double scale, string model, ITileUpscaler upscaler, int repeats, string folder, CancellationToken cancellation)
    {
        // The loop gets the levels through the upscaler's options (PipelineBench resolves it for the scene), the job measures them.
        var tiling = TilingOptions.For(upscaler, scale);
        var parallel = ModelCatalog.ParallelTilesFor(upscaler);
        var info = ReadInfo(scene);
        var loopOptions = new SceneUpscaleOptions
        {
            Tiling = tiling,
            MaxParallelTiles = parallel,
            Output = new OutputFormat(OutputKind.Cog, OutputCompression.Deflate),
        };
        SceneJobSpec Spec(string output) => new(scene, output, scale, upscaler.Name, tiling.TileSize, tiling.Overlap, tiling.BlockSize,
            OutputCompression.Deflate, OutputKind.Cog);

        var clock = Stopwatch.StartNew();
        var embedded = await ClusterConnection.EmbeddedAsync(upscaler, parallel, cancellation);
        var startSeconds = clock.Elapsed.TotalSeconds;
        var loops = new List<double>();
        var pipelines = new List<double>();
        var loopCpu = new List<double>();
        var pipelineCpu = new List<double>();
        var tiles = 0;
        try
        {
            // The loop calls the model from one thread of its own, as the silo's inference service does (ModelThreads):
            // each thread that calls libtorch gets its own OpenMP team.
            using var loopThread = new ModelThreads(1);
            for (var run = 0; run <= repeats; run++)
            {
                var output = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(scene)}-{run}");
                var (loop, loopCpuRun) = (0.0, 0.0);
                bool RunLoop()
                {
                    var cpu = CpuSeconds();
                    var watch = Stopwatch.StartNew();
                    SceneUpscaleJob.Run(scene, output + "-loop.tif", scale, upscaler, loopOptions, cancellation: cancellation);
                    (loop, loopCpuRun) = (watch.Elapsed.TotalSeconds, CpuSeconds() - cpu);
                    return true;
                }
                // Which goes first alternates, so neither always follows the other's garbage or cache state.
                if (run % 2 == 0) await loopThread.Run(RunLoop, cancellation);
                var pipelineCpuStart = CpuSeconds();
                var job = await JobRunner.RunAsync(embedded.Grains, Spec(output + "-pipeline.tif"), cancellation);
                var pipelineCpuRun = CpuSeconds() - pipelineCpuStart;
                if (run % 2 == 1) await loopThread.Run(RunLoop, cancellation);
                File.Delete(output + "-loop.tif");
                File.Delete(output + "-pipeline.tif");
                tiles = job.Status.TilesTotal;
                if (run == 0) continue; // untimed: loads and compiles both paths
                loops.Add(loop);
                pipelines.Add(job.Seconds);
                loopCpu.Add(loopCpuRun);
                pipelineCpu.Add(pipelineCpuRun);
            }
        }
        finally
        {
            clock.Restart();
            await embedded.DisposeAsync();
        }
        var stopSeconds = clock.Elapsed.TotalSeconds;
        var ratios = pipelines.Zip(loops, (p, l) => p / l).ToList();
        return new OverheadRow(Path.GetFileName(scene), info.Width, info.Height, model, tiles, repeats,
            Median(loops), Median(pipelines), Median(ratios), ratios.Min(), ratios.Max(), Median(loopCpu), Median(pipelineCpu), startSeconds, stopSeconds);
    }

    static double CpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    static RasterInfo ReadInfo(string scene)
    {
        using var reader = GeoTiffReader.Open(scene);
        return reader.Info;
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
