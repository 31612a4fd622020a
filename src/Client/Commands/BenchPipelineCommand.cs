using System.CommandLine;
using Pipeline.Bench;
using Pipeline.Models.Inference;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>bench-pipeline</c>: what running scenes as Orleans grains costs and gains, as Markdown tables: the embedded
/// pipeline against a plain in-process loop (overhead), 1, 2, 3… silo processes on loopback (scaling), peak
/// memory per silo process on the largest real scene and on a synthetic one of any size (memory), and a bicubic job
/// against gdal_translate doing the same resize into the same layout (gdal).
/// </summary>
static class BenchPipelineCommand
{
    public static Command Create()
    {
        var scenes = new Option<DirectoryInfo>("--scenes") { Description = "Folder of GeoTIFF scenes (searched recursively)", DefaultValueFactory = _ => new DirectoryInfo("../shared/data/scenes") };
        var scene = new Option<FileInfo[]>("--scene") { Description = "Scenes for the overhead table (repeatable; default: every scene in --scenes)", AllowMultipleArgumentsPerToken = true };
        var models = new Option<string[]>("--model") { Description = "Models for the overhead table (repeatable): bicubic, small, a weights file (default: bicubic, and small when its weights are installed)", AllowMultipleArgumentsPerToken = true };
        var scale = new Option<double>("--scale") { Description = "Scale factor", DefaultValueFactory = _ => 2 }.Invariant();
        var repeats = new Option<int>("--repeat") { Description = "Timed runs of each path per overhead row, after one untimed run", DefaultValueFactory = _ => 3 };
        var silos = new Option<int[]>("--silos") { Description = "Silo process counts for the scaling table", DefaultValueFactory = _ => [1, 2, 3], AllowMultipleArgumentsPerToken = true };
        var memorySilos = new Option<int>("--memory-silos") { Description = "Silo processes for the memory table", DefaultValueFactory = _ => 3 };
        var synthetic = new Option<int>("--synthetic") { Description = "Side of the synthetic RGB scene for the memory table in pixels (0: none)", DefaultValueFactory = _ => 20000 };
        var parts = new Option<string[]>("--parts") { Description = "Tables to measure: overhead, scaling, memory, gdal", DefaultValueFactory = _ => ["overhead", "scaling", "memory", "gdal"], AllowMultipleArgumentsPerToken = true };
        parts.AcceptOnlyFromAmong("overhead", "scaling", "memory", "gdal");
        var gdalScene = new Option<FileInfo?>("--gdal-scene") { Description = "Scene for the table against GDAL (default: the Landsat 8 RGBNIR scene of --scenes, else the largest)" };
        var gdalRepeat = new Option<int>("--gdal-tiling") { Description = "The GDAL table's scene repeated N × N times into one input (5: the 3135×3015 Landsat mosaic of issue 29)", DefaultValueFactory = _ => 5 };
        var siloHost = new Option<FileInfo?>("--silo-host") { Description = "pipeline-silo.dll for the multi-process tables (default: src/Silo's build output next to this one)" };

        var command = new Command("bench-pipeline", "Measures the Orleans pipeline: overhead against a plain loop, scaling over silo processes, peak memory per silo.")
        {
            scenes, scene, models, scale, repeats, silos, memorySilos, synthetic, parts, siloHost, gdalScene, gdalRepeat,
        };
        command.SetAction((parse, cancellation) => CliErrors.RunAsync(async () =>
        {
            var settings = new PipelineBenchSettings(
                SceneFiles(parse.GetValue(scenes)!, parse.GetValue(scene)),
                parse.GetValue(models) is { Length: > 0 } chosen ? chosen : DefaultModels(),
                parse.GetValue(scale),
                Math.Max(1, parse.GetValue(repeats)),
                parse.GetValue(silos)!,
                parse.GetValue(memorySilos),
                parse.GetValue(synthetic),
                parse.GetValue(siloHost)?.FullName,
                parse.GetValue(gdalScene)?.FullName,
                Math.Max(1, parse.GetValue(gdalRepeat)));
            var chosenParts = parse.GetValue(parts)!;
            await PipelineBench.RunAsync(settings, chosenParts.Contains("overhead"), chosenParts.Contains("scaling"), chosenParts.Contains("memory"),
                chosenParts.Contains("gdal"), cancellation);
            return ExitCodes.Succeeded;
        }));
        return command;
    }

    static string[] DefaultModels() => ModelCatalog.Available().Contains(ModelCatalog.ShippedModel) ? [ModelCatalog.Bicubic, ModelCatalog.ShippedModel] : [ModelCatalog.Bicubic];

    static string[] SceneFiles(DirectoryInfo folder, FileInfo[]? chosen)
    {
        if (chosen is { Length: > 0 }) return [.. chosen.Select(file => file.Exists ? file.FullName : throw new FileNotFoundException($"{file.FullName}: scene not found"))];
        if (!folder.Exists) throw new DirectoryNotFoundException($"{folder.FullName}: scene folder not found");
        var files = folder.GetFiles("*.tif", SearchOption.AllDirectories).OrderBy(f => f.Length).Select(f => f.FullName).ToArray();
        return files.Length > 0 ? files : throw new FileNotFoundException($"{folder.FullName}: no .tif scenes");
    }
}
