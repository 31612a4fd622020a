using System.Diagnostics;
using System.Text.Json;
using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;

namespace Pipeline.Bench;

/// <summary>What one scene measured. Throughputs count uncompressed sample bytes.</summary>
sealed record SceneMeasurement(
    string Scene, int Width, int Height, int Bands, string SampleType, double Scale,
    double ReadMBps, double WriteMBps, double BlendMPps, double EndToEndMPps, double EndToEndSeconds, double Overcompute, double PeakMemoryMB,
    double? ModelOvercompute2, double? ModelOvercompute4);

/// <summary>
/// Measures one scene in this process (the bench command runs each scene in a child process so that peak
/// memory is the scene's own): windowed read throughput, tiled Deflate write throughput, blending throughput
/// (contributions, accumulation and finalisation only; reading and upscaling excluded), and the whole
/// bicubic upscale job end to end; and the overlap overcompute of the shipped model's default tiling at ×2 and ×4
/// (plans only, the model is not run).
/// </summary>
static class SceneBenchmark
{
    const int Window = 512;

    public static SceneMeasurement Measure(string scene, double scale)
    {
        var scratch = Directory.CreateTempSubdirectory("sr-bench-");
        try
        {
            using var reader = GeoTiffReader.Open(scene);
            var info = reader.Info;
            var bytes = (double)info.Width * info.Height * info.Bands * info.SampleType.BytesPerSample();

            var read = Stopwatch.StartNew();
            foreach (var window in Windows(info.Width, info.Height, Window)) reader.Read(window);
            read.Stop();

            var write = WriteSeconds(reader, Path.Combine(scratch.FullName, "copy.tif"));
            var (blend, plan) = BlendSeconds(reader, scale);

            var job = Stopwatch.StartNew();
            var result = SceneUpscaleJob.Run(scene, Path.Combine(scratch.FullName, "sr.tif"), scale, new BicubicUpscaler());
            job.Stop();
            var outputPixels = (double)result.Output.Width * result.Output.Height;

            return new SceneMeasurement(
                Path.GetFileName(scene), info.Width, info.Height, info.Bands, info.SampleType.ToString(), scale,
                bytes / 1e6 / read.Elapsed.TotalSeconds, bytes / 1e6 / write, outputPixels / 1e6 / blend,
                outputPixels / 1e6 / job.Elapsed.TotalSeconds, job.Elapsed.TotalSeconds, plan.OverlapOvercompute,
                Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
                ModelOvercompute(info, 2), ModelOvercompute(info, 4));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>Overlap overcompute of the shipped model's default tiles at <paramref name="scale"/>; null without weights.</summary>
    static double? ModelOvercompute(RasterInfo info, double scale)
    {
        if (!ModelCatalog.Available().Contains(ModelCatalog.ShippedModel)) return null;
        using var model = (TorchTileUpscaler)ModelCatalog.Resolve(ModelCatalog.ShippedModel);
        return TilePlan.Create(info.Width, info.Height, scale, model, TilingOptions.For(model, scale)).OverlapOvercompute;
    }

    /// <summary>Seconds spent in the writer (blocks are read beforehand and not timed).</summary>
    static double WriteSeconds(GeoTiffReader reader, string path)
    {
        var info = reader.Info;
        var clock = new Stopwatch();
        using var writer = RasterSinks.Create(path, info, new OutputFormat(OutputKind.GeoTiff));
        foreach (var window in Windows(info.Width, info.Height, Window))
        {
            var block = reader.Read(window);
            clock.Start();
            writer.Write(block);
            clock.Stop();
        }
        clock.Start();
        writer.Commit();
        clock.Stop();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Seconds spent blending bicubic tiles (reading and upscaling are not timed).</summary>
    static (double Seconds, TilePlan Plan) BlendSeconds(GeoTiffReader reader, double scale)
    {
        var info = reader.Info;
        var upscaler = new BicubicUpscaler();
        var plan = TilePlan.Create(info.Width, info.Height, scale, upscaler);
        var stitcher = new MosaicStitcher(plan, info.Bands, (float)(info.NoData ?? 0));
        var clock = new Stopwatch();
        foreach (var tile in plan.Tiles)
        {
            var lr = reader.Read(tile.LrWindow);
            var validity = reader.ReadValidity(tile.LrWindow, lr);
            var hr = upscaler.Upscale(lr, plan.Scale.Value, tile.HrWindow);
            clock.Start();
            stitcher.AddTile(tile.Index, hr, validity);
            clock.Stop();
        }
        return (clock.Elapsed.TotalSeconds, plan);
    }

    static IEnumerable<PixelWindow> Windows(int width, int height, int size)
    {
        for (var y = 0; y < height; y += size)
            for (var x = 0; x < width; x += size)
                yield return new PixelWindow(x, y, Math.Min(size, width - x), Math.Min(size, height - y));
    }

    public static string ToJson(SceneMeasurement m) => JsonSerializer.Serialize(m);

    public static SceneMeasurement FromJson(string json) =>
        JsonSerializer.Deserialize<SceneMeasurement>(json) ?? throw new InvalidDataException("empty measurement");
}
