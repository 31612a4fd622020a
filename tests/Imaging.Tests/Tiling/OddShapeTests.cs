using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>Degenerate and awkward scene shapes still plan and stitch to the whole-image result.</summary>
public class OddShapeTests
{
    [Theory]
    [InlineData(1, 1, 2.0)]
    [InlineData(1, 1, 2.37)]
    [InlineData(7, 13, 3.5)]
    [InlineData(7, 13, 1.0)]
    [InlineData(13, 7, 2.37)]
    [InlineData(127, 128, 4.0)]
    public void Scene_within_one_tile_is_one_tile(int width, int height, double scale)
    {
        var upscaler = new BicubicUpscaler();
        var plan = TilePlan.Create(width, height, scale, upscaler);

        var tile = Assert.Single(plan.Tiles);
        Assert.Equal(new PixelWindow(0, 0, width, height), tile.LrWindow);
        Assert.Equal(plan.OutputWindow, tile.HrWindow);
        Assert.Equal(tile.HrWindow, tile.WeightedWindow);
        Assert.Equal((int)Math.Floor(width * scale), plan.OutputWidth);
        Assert.Equal((int)Math.Floor(height * scale), plan.OutputHeight);
        Assert.Equal(0, plan.OverlapOvercompute, 12);
        AssertStitchesToWholeImage(width, height, scale, plan);
    }

    [Theory]
    [InlineData(129, 300, 1.0, 128, 16)]   // one pixel past a tile, scale 1
    [InlineData(113, 97, 1.0, 32, 10)]     // widths not a multiple of the stride
    [InlineData(61, 200, 2.0, 24, 12)]
    [InlineData(157, 33, 3.5, 32, 12)]
    [InlineData(333, 101, 2.37, 128, 16)]  // 333 = 3 strides of 100 + 33
    [InlineData(5, 300, 4.0, 16, 6)]       // a single tile column, many rows
    public void Awkward_sizes_stitch_to_the_whole_image(int width, int height, double scale, int tileSize, int overlap)
    {
        var plan = TilePlan.Create(width, height, scale, new BicubicUpscaler(), new TilingOptions(tileSize, overlap, 256));

        var last = plan.Tiles[^1];
        Assert.Equal(width, last.LrWindow.Right);
        Assert.Equal(height, last.LrWindow.Bottom);
        Assert.Equal(plan.OutputWindow.Right, last.HrWindow.Right);
        Assert.Equal(plan.OutputWindow.Bottom, last.HrWindow.Bottom);
        AssertStitchesToWholeImage(width, height, scale, plan);
    }

    static void AssertStitchesToWholeImage(int width, int height, double scale, TilePlan plan)
    {
        var scene = Scenes.SmoothFieldWithNoise(width, height, bands: 2, seed: width + 7 * height);
        var mosaic = TiledUpscaling.Upscale(scene, new BicubicUpscaler(), plan);
        Assert.True(Scenes.MaxAbsDifference(Scenes.UpscaleWhole(scene, scale), mosaic) < 0.01);
    }
}
