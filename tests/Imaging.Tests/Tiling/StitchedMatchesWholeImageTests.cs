using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>With bicubic tiles, blending must reproduce the whole-image bicubic result: every weighted HR pixel of
/// a tile has its full 4×4 support inside the tile, so the only difference left is float rounding of Σw·x / Σw.</summary>
public class StitchedMatchesWholeImageTests
{
    [Theory]
    [InlineData(2.0, 203, 157, 64, 16, 256)]
    [InlineData(2.0, 300, 211, 128, 16, 512)]
    [InlineData(3.5, 190, 141, 64, 24, 256)]
    [InlineData(3.5, 173, 99, 128, 16, 512)]
    [InlineData(4.0, 150, 97, 64, 16, 256)]
    [InlineData(4.0, 141, 203, 48, 12, 512)]
    [InlineData(2.37, 311, 250, 128, 16, 256)]
    [InlineData(2.37, 260, 233, 160, 40, 512)]
    [InlineData(1.0, 140, 90, 32, 10, 256)]
    public void Mosaic_equals_whole_image_upscale(double scale, int width, int height, int tileSize, int overlap, int blockSize)
    {
        var scene = Scenes.SmoothFieldWithNoise(width, height, bands: 2, seed: width * 31 + height);
        var upscaler = new BicubicUpscaler();
        var plan = TilePlan.Create(width, height, scale, upscaler, new TilingOptions(tileSize, overlap, blockSize));
        Assert.True(plan.Tiles.Count > 1);

        var mosaic = TiledUpscaling.Upscale(scene, upscaler, plan);

        var expected = Scenes.UpscaleWhole(scene, scale);
        Assert.True(Scenes.MaxAbsDifference(expected, mosaic) < 0.01);
    }
}
