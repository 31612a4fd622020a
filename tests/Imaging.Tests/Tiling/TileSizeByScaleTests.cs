using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>Bicubic tiles are sized in output pixels, so a tile's memory does not grow with the square of the scale.</summary>
public class TileSizeByScaleTests
{
    [Theory]
    [InlineData(1.5, 128, 16)]
    [InlineData(4, 128, 16)]
    [InlineData(8, 128, 16)]
    [InlineData(16, 64, 16)]
    [InlineData(32, 32, 8)]
    public void Bicubic_tiles_hold_about_1024_output_pixels_a_side_at_any_scale(double scale, int tile, int overlap)
    {
        var options = TilingOptions.For(new BicubicUpscaler(), scale);
        Assert.Equal((tile, overlap), (options.TileSize, options.Overlap));
        var plan = TilePlan.Create(627, 603, scale, new BicubicUpscaler(), options);
        Assert.InRange(plan.Tiles.Max(t => t.HrWindow.Width), 1, Math.Max(1024 + 2 * scale, 128 * scale + 1));
    }
}
