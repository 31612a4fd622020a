using System.CommandLine;
using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Tiling;

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
        var model = new Option<string>("--model") { Description = "bicubic, or a model name or weights file", DefaultValueFactory = _ => "bicubic" };
        var tile = new Option<int>("--tile") { Description = "LR tile size in pixels", DefaultValueFactory = _ => new TilingOptions().TileSize };
        var overlap = new Option<int>("--overlap") { Description = "Minimum LR overlap between tiles in pixels", DefaultValueFactory = _ => new TilingOptions().Overlap };
        var compression = new Option<GeoTiffCompression>("--compression") { Description = "Output compression", DefaultValueFactory = _ => GeoTiffCompression.Deflate };
        var noOverviews = new Option<bool>("--no-overviews") { Description = "Skip the internal overviews" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar" };

        var command = new Command("upscale", "Super-resolves one scene into a georeferenced mosaic.")
        {
            input, output, scale, model, tile, overlap, compression, noOverviews, quiet,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var upscaler = ModelCatalog.Resolve(parse.GetValue(model)!);
            var options = new SceneUpscaleOptions
            {
                Tiling = new TilingOptions(parse.GetValue(tile), parse.GetValue(overlap)),
                Write = new GeoTiffWriteOptions { Compression = parse.GetValue(compression), BuildOverviews = !parse.GetValue(noOverviews) },
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
