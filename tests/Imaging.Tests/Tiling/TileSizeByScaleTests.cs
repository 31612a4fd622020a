using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>Bicubic tiles are sized in output pixels, so a tile's memory does not grow with the square of the scale; they
/// are exact crops, so they overlap by their margins only and meet at hard seams, which makes the mosaic exactly the
/// whole image's bicubic whatever the tiling.</summary>
public class TileSizeByScaleTests
{
    [Theory]
    [InlineData(1.5, 128, 5)]
    [InlineData(4, 128, 5)]
    [InlineData(8, 128, 5)]
    [InlineData(16, 64, 5)]
    [InlineData(32, 32, 5)]
    public void Bicubic_tiles_hold_about_1024_output_pixels_a_side_at_any_scale(double scale, int tile, int overlap)
    {
        var options = TilingOptions.For(new BicubicUpscaler(), scale);
        Assert.Equal((tile, overlap, true), (options.TileSize, options.Overlap, options.HardSeams));
        var plan = TilePlan.Create(627, 603, scale, new BicubicUpscaler(), options);
        Assert.InRange(plan.Tiles.Max(t => t.HrWindow.Width), 1, Math.Max(1024 + 2 * scale, 128 * scale + 1));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(2.37)]
    public void Bicubic_mosaics_are_the_whole_image_result_whatever_the_tiling(double scale)
    {
        using var scratch = new GeoTiff.ScratchFolder();
        var scene = SharedScenes.LandsatRgbnir;
        var bicubic = new BicubicUpscaler();
        string Run(string name, int? tile) => SceneUpscaleJob.Run(scene, scratch.File(name), scale, bicubic,
            new SceneUpscaleOptions { Tiling = TilingOptions.For(bicubic, scale, tile) }).OutputPath;

        var small = Run("small.tif", 40);
        var whole = Run("whole.tif", 700); // one tile: no seam at all

        Assert.Equal(GeoTiff.RasterFiles.ReadAll(whole), GeoTiff.RasterFiles.ReadAll(small));
    }
}
