using Pipeline.Imaging;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;

namespace Pipeline.Models.Tests;

/// <summary>A NaN input pixel stays NaN over its own footprint and nowhere else, whatever the model and sampler, and
/// does not poison its tile or its neighbours through blending.</summary>
public sealed class NaNFootprintTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("sr-nan-").FullName;

    [Theory]
    [InlineData("bicubic", "", 2.0)]
    [InlineData("bicubic", "", 2.37)]
    [InlineData("small", "deterministic", 2.0)]
    [InlineData("small", "e2diffsr", 2.0)]
    [InlineData("small", "lcmsr", 3.0)]
    [InlineData("idm-small", "ddim", 2.0)]
    public void A_NaN_pixel_is_NaN_over_its_footprint_only_in_a_multi_tile_scene(string model, string sampler, double scale)
    {
        // Two NaN pixels: one inside a tile, one where tiles overlap.
        (int X, int Y)[] nan = [(9, 11), (31, 20)];
        var scene = FloatScenes.WithNaN(Path.Combine(folder, "in.tif"), 64, 40, 3, nan);
        var output = Path.Combine(folder, "out.tif");
        var upscaler = ModelCatalog.Resolve(model, new SamplingOptions(sampler, Seed: 1, Steps: 2));
        try
        {
            var tiling = TilingOptions.For(upscaler, scale, tileSize: upscaler is TorchTileUpscaler ? 48 : 24);
            var result = SceneUpscaleJob.Run(scene, output, scale, upscaler, new SceneUpscaleOptions { Tiling = tiling });
            Assert.True(result.Tiles > 1, $"{result.Tiles} tile(s): the test needs blending across tiles");
        }
        finally
        {
            (upscaler as IDisposable)?.Dispose();
        }

        var hr = FloatScenes.ReadAll(output);
        var expected = nan.SelectMany(p => FloatScenes.Footprint(p.X, p.Y, scale, hr.Width, hr.Height)).ToHashSet();
        Assert.NotEmpty(expected);
        for (var band = 0; band < hr.Bands; band++)
            for (var y = 0; y < hr.Height; y++)
                for (var x = 0; x < hr.Width; x++)
                    Assert.True(float.IsNaN(hr[band, x, y]) == expected.Contains((x, y)),
                        $"band {band} ({x}, {y}) = {hr[band, x, y]}; {expected.Count} footprint pixels expected NaN");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
