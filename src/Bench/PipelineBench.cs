using System.Diagnostics;
using System.Globalization;
using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Inference;

namespace Pipeline.Bench;

/// <summary>What <c>bench-pipeline</c> measures on. Scaling and memory use the largest of <paramref name="Scenes"/>
/// (by pixels).</summary>
sealed record PipelineBenchSettings(
    string[] Scenes, string[] Models, double Scale, int Repeats, int[] SiloCounts, int MemorySilos, int SyntheticSize, string? SiloHost,
    string? GdalScene = null, int GdalTiling = 1);

/// <summary>Runs the parts of <c>bench-pipeline</c> and prints each as a Markdown table as soon as it is measured.</summary>
static class PipelineBench
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(PipelineBenchSettings settings, bool overhead, bool scaling, bool memory, bool gdal, CancellationToken cancellation)
    {
        var folder = Directory.CreateTempSubdirectory("sr-bench-pipeline-");
        try
        {
            Console.WriteLine(string.Create(Inv, $"{Environment.ProcessorCount} cores; ×{settings.Scale}; outputs in {folder.FullName} (deleted)"));
            if (overhead) await OverheadAsync(settings, folder.FullName, cancellation);
            if (scaling || memory)
            {
                var siloHost = SiloHostPath(settings.SiloHost);
                var largest = settings.Scenes.MaxBy(Pixels)!;
                if (scaling) await ScalingAsync(settings, siloHost, largest, folder.FullName, cancellation);
                if (memory) await MemoryAsync(settings, siloHost, largest, folder.FullName, cancellation);
            }
            if (gdal) await AgainstGdalAsync(settings, folder.FullName, cancellation);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    static async Task OverheadAsync(PipelineBenchSettings settings, string folder, CancellationToken cancellation)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv, $"Pipeline overhead: embedded pipeline (submit → finished) ÷ plain in-process loop (SceneUpscaleJob), same upscaler, tiling, tile concurrency and output; medians of {settings.Repeats} alternating runs after one untimed run of each"));
        Console.WriteLine();
        Console.WriteLine("| scene | size | model | tiles | loop s | pipeline s | ratio (min–max) | loop CPU s | pipeline CPU s | CPU ratio | extra CPU ms/tile | silo start s | silo stop s |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var model in settings.Models)
        {
            foreach (var scene in settings.Scenes)
            {
                ITileUpscaler upscaler;
                try
                {
                    upscaler = ModelCatalog.Resolve(model, new SamplingOptions(), model == ModelCatalog.Bicubic ? null : SceneLevels.Of(scene));
                }
                catch (ArgumentException e)
                {
                    Console.WriteLine($"| {Path.GetFileName(scene)} | | {model} | | | | not measured: {e.Message} | | | | | | |");
                    break;
                }
                try
                {
                    var r = await PipelineOverhead.MeasureAsync(scene, settings.Scale, model, upscaler, settings.Repeats, folder, cancellation);
                    Console.WriteLine(string.Create(Inv,
                        $"| {r.Scene} | {r.Width}×{r.Height} | {r.Model} | {r.Tiles} | {r.LoopSeconds:F2} | {r.PipelineSeconds:F2} | {r.MedianRatio:F2} ({r.MinRatio:F2}–{r.MaxRatio:F2}) | {r.LoopCpuSeconds:F2} | {r.PipelineCpuSeconds:F2} | {r.PipelineCpuSeconds / r.LoopCpuSeconds:F2} | {(r.PipelineCpuSeconds - r.LoopCpuSeconds) * 1000 / r.Tiles:F1} | {r.SiloStartSeconds:F2} | {r.SiloStopSeconds:F2} |"));
                }
                finally
                {
                    (upscaler as IDisposable)?.Dispose();
                }
            }
        }
    }

    static async Task ScalingAsync(PipelineBenchSettings settings, string siloHost, string scene, string folder, CancellationToken cancellation)
    {
        Console.WriteLine();
        // The warm-up is the same scene: code paths of its format (e.g. JPEG tiles) run unoptimised the first time.
        Console.WriteLine(string.Create(Inv, $"Scaling: {Path.GetFileName(scene)} ×{settings.Scale}, bicubic, on N silo processes on loopback (worker+coordinator each, one model call per core each), timed after an untimed run of the same job"));
        Console.WriteLine();
        Console.WriteLine("| silos | tiles | job s | tiles/s | vs 1 silo | tiles per silo | peak RSS per silo MiB | cluster start s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---|---|---:|");
        double? single = null;
        foreach (var count in settings.SiloCounts)
        {
            var run = await ClusterRun.RunAsync(siloHost, count, scene, settings.Scale, scene, folder, cancellation);
            var rate = run.Job.Status.TilesTotal / run.Job.Seconds;
            single ??= count == 1 ? rate : null;
            var speedup = single is { } baseline ? string.Create(Inv, $"{rate / baseline:F2}×") : "";
            Console.WriteLine(string.Create(Inv,
                $"| {count} | {run.Job.Status.TilesTotal} | {run.Job.Seconds:F2} | {rate:F1} | {speedup} | {Join(run.PerSilo, s => s.Tiles, "F0")} | {Join(run.PerSilo, s => s.PeakMiB, "F0")} | {run.StartSeconds:F1} |"));
        }
    }

    static async Task MemoryAsync(PipelineBenchSettings settings, string siloHost, string largest, string folder, CancellationToken cancellation)
    {
        var runs = new List<(string Label, ClusterRunResult Run)>();
        var real = await ClusterRun.RunAsync(siloHost, settings.MemorySilos, largest, settings.Scale, null, folder, cancellation);
        runs.Add((Describe(largest, settings.Scale), real));
        if (settings.SyntheticSize > 0)
        {
            var synthetic = Path.Combine(folder, $"synthetic-{settings.SyntheticSize}.tif");
            var clock = Stopwatch.StartNew();
            SyntheticScene.Write(synthetic, settings.SyntheticSize);
            Console.WriteLine(string.Create(Inv, $"wrote the synthetic {settings.SyntheticSize}×{settings.SyntheticSize} RGB scene in {clock.Elapsed.TotalSeconds:F0} s ({new FileInfo(synthetic).Length / 1e6:F0} MB)"));
            try
            {
                runs.Add((Describe(synthetic, settings.Scale), await ClusterRun.RunAsync(siloHost, settings.MemorySilos, synthetic, settings.Scale, null, folder, cancellation)));
            }
            finally
            {
                File.Delete(synthetic);
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(Inv, $"Peak memory per silo process (VmHWM), {settings.MemorySilos} silos, bicubic ×{settings.Scale}, default job settings; RSS once started in brackets"));
        Console.WriteLine();
        Console.WriteLine("| silo | " + string.Join(" | ", runs.Select(r => r.Label)) + " |");
        Console.WriteLine("|---|" + string.Concat(runs.Select(_ => "---:|")));
        for (var silo = 0; silo < settings.MemorySilos; silo++)
        {
            var index = silo;
            Console.WriteLine(string.Create(Inv, $"| {silo} | ") + string.Join(" | ", runs.Select(r =>
                string.Create(Inv, $"{r.Run.PerSilo[index].PeakMiB:F0} MiB ({r.Run.PerSilo[index].StartedMiB:F0})"))) + " |");
        }
        Console.WriteLine("| job | " + string.Join(" | ", runs.Select(r =>
            string.Create(Inv, $"{r.Run.Job.Status.TilesTotal} tiles, {r.Run.Job.Seconds:F0} s ({r.Run.Job.Status.TilesTotal / r.Run.Job.Seconds:F1} tiles/s)"))) + " |");
    }

    static async Task AgainstGdalAsync(PipelineBenchSettings settings, string folder, CancellationToken cancellation)
    {
        var source = settings.GdalScene
            ?? settings.Scenes.FirstOrDefault(s => Path.GetFileName(s).StartsWith("landsat8_UTM16N_30m_RGBNIR", StringComparison.Ordinal))
            ?? settings.Scenes.MaxBy(Pixels)!;
        var scene = source;
        if (settings.GdalTiling > 1)
        {
            scene = Path.Combine(folder, string.Create(Inv, $"{Path.GetFileNameWithoutExtension(source)}-{settings.GdalTiling}x{settings.GdalTiling}.tif"));
            RepeatedScene.Write(source, settings.GdalTiling, scene);
        }
        await GdalComparison.RunAsync(scene, settings.Scale, settings.Repeats, folder, cancellation);
    }

    static string Describe(string scene, double scale)
    {
        using var reader = GeoTiffReader.Open(scene);
        var info = reader.Info;
        var output = info.ScaledBy(scale);
        return string.Create(Inv, $"{Path.GetFileName(scene)} {info.Width}×{info.Height} {info.Bands}×{info.SampleType} → {output.Width}×{output.Height}");
    }

    static string Join(IEnumerable<SiloFigures> silos, Func<SiloFigures, double> value, string format) =>
        string.Join(" / ", silos.Select(silo => value(silo).ToString(format, Inv)));

    static long Pixels(string scene)
    {
        using var reader = GeoTiffReader.Open(scene);
        return (long)reader.Info.Width * reader.Info.Height;
    }

    /// <summary>The silo host built next to this client (src/Silo/bin/&lt;configuration&gt;/net10.0), or the given one.</summary>
    static string SiloHostPath(string? given)
    {
        if (given is not null) return File.Exists(given) ? given : throw new FileNotFoundException($"{given}: silo host not found");
        // This client runs from src/Client/bin/<configuration>/<framework>/ (built) or a folder below it (published by ./sr).
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        while (output.Parent?.Parent is { } grandparent && grandparent.Name != "bin") output = output.Parent;
        var (framework, configurationName, src) = (output.Name, output.Parent?.Name, output.Parent?.Parent?.Parent?.Parent?.FullName);
        var candidate = src is null ? null : Path.Combine(src, "Silo", "bin", configurationName!, framework, "pipeline-silo.dll");
        return candidate is not null && File.Exists(candidate)
            ? candidate
            : throw new FileNotFoundException($"no silo host at {candidate}: build it (dotnet build src/Silo -c Release) or pass --silo-host");
    }
}
