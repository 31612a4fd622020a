using System.CommandLine;
using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;

namespace Pipeline.Client.Commands;

/// <summary>
/// <c>upscale &lt;in.tif&gt; --out &lt;out.tif&gt; --scale &lt;s&gt; [--model …]</c>: one scene, in this process.
/// Exit code 0 only when the output is complete and in place.
/// </summary>
static class UpscaleCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("input") { Description = "Input GeoTIFF (uint8, uint16, int16 or float32; any band count)" };
        var output = new Option<FileInfo>("--out") { Description = "Output GeoTIFF (written under a temporary name, renamed when complete)", Required = true };
        var scale = new Option<double>("--scale") { Description = "Scale factor: any real number in [1, 32], e.g. 2, 3.5, 4, 2.37", Required = true };
        var model = new Option<string>("--model") { Description = "small (the shipped E²DiffSR/LCMSR weights), bicubic, a shipped weights name or a weights file", DefaultValueFactory = _ => ModelCatalog.DefaultModel };
        var sampler = new Option<string>("--sampler") { Description = "deterministic (highest PSNR), e2diffsr (4 steps, sharper) or lcmsr (1 step, sharper)", DefaultValueFactory = _ => "deterministic" };
        sampler.AcceptOnlyFromAmong("deterministic", "e2diffsr", "lcmsr");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the scene-wide noise field (e2diffsr, lcmsr)", DefaultValueFactory = _ => 0 };
        var tile = new Option<int?>("--tile") { Description = $"LR tile size in pixels (default {new TilingOptions().TileSize}, {ModelCatalog.TorchTileSize} for a torch model)" };
        var overlap = new Option<int?>("--overlap") { Description = $"Minimum LR overlap between tiles in pixels (default {new TilingOptions().Overlap}, or what the model's edge margin needs)" };
        var compression = new Option<GeoTiffCompression>("--compression") { Description = "Output compression", DefaultValueFactory = _ => GeoTiffCompression.Deflate };
        var noOverviews = new Option<bool>("--no-overviews") { Description = "Skip the internal overviews" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar" };

        var command = new Command("upscale", "Super-resolves one scene into a georeferenced mosaic.")
        {
            input, output, scale, model, sampler, seed, tile, overlap, compression, noOverviews, quiet,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var sampling = new SamplingOptions(SamplingOptions.ParseSampler(parse.GetValue(sampler)!), parse.GetValue(seed));
            var upscaler = ModelCatalog.ResolveForScene(parse.GetValue(model)!, sampling, parse.GetValue(input)!.FullName);
            var options = new SceneUpscaleOptions
            {
                Tiling = ModelCatalog.TilingFor(upscaler, parse.GetValue(tile), parse.GetValue(overlap)),
                Write = new GeoTiffWriteOptions { Compression = parse.GetValue(compression), BuildOverviews = !parse.GetValue(noOverviews) },
                MaxParallelTiles = ModelCatalog.ParallelTilesFor(upscaler),
            };
            var outPath = parse.GetValue(output)!.FullName;
            Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);

            ConsoleProgress? progress = null;
            var result = SceneUpscaleJob.Run(parse.GetValue(input)!.FullName, outPath, parse.GetValue(scale), upscaler, options,
                planned: plan =>
                {
                    if (!parse.GetValue(quiet))
                        progress = new ConsoleProgress($"{upscaler.Name} ×{plan.Scale}", plan.Tiles.Count, "tiles");
                },
                tileDone: () => progress?.Advance());
            progress?.Finish();

            var o = result.Output;
            Console.WriteLine($"wrote {result.OutputPath}: {o.Width}x{o.Height}, {o.Bands} band(s) {o.SampleType}, " +
                              $"{result.Tiles} tiles (overlap overcompute {result.OverlapOvercompute:P0}) in {result.Elapsed.TotalSeconds:F1} s");
        }));
        return command;
    }
}
