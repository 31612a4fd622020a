using Pipeline.Models.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

public class ResamplerTests
{
    [Theory]
    [InlineData(9, 7, 25, 18, "bicubic")]
    [InlineData(9, 7, 25, 18, "bilinear")]
    [InlineData(16, 12, 16, 12, "bicubic")]
    [InlineData(12, 10, 5, 4, "bilinear")]
    public void Whole_image_resize_equals_torch_interpolate(int w, int h, int outW, int outH, string mode)
    {
        var x = rand(2, 3, h, w, generator: new Generator().manual_seed(3));
        var expected = nn.functional.interpolate(x, size: [outH, outW],
            mode: mode == "bicubic" ? InterpolationMode.Bicubic : InterpolationMode.Bilinear, align_corners: false);
        var g = TileGeometry.Whole(w, h, outW, outH);
        var actual = Resampler.Resize(x, g.LrToHrY, g.LrToHrX, mode == "bicubic" ? ResampleKernel.Bicubic : ResampleKernel.Bilinear);
        Assert.True(allclose(expected, actual, rtol: 0, atol: 1e-5), $"max diff {(expected - actual).abs().max().item<float>()}");
    }

    [Fact]
    public void A_tile_computes_the_crop_of_the_whole_scene_away_from_its_edges()
    {
        const double scale = 2.6;
        var scene = rand(1, 3, 40, 50, generator: new Generator().manual_seed(5));
        var hrW = (int)(50 * scale);
        var hrH = (int)(40 * scale);
        var whole = new TileGeometry(scale, scale, 0, 0, 50, 40, 0, 0, hrW, hrH);
        var full = Resampler.Resize(scene, whole.LrToHrY, whole.LrToHrX, ResampleKernel.Bicubic);
        // LR tile [10, 40) x [8, 32), HR window starting at a multiple of 8 inside its footprint.
        var tileLr = scene[.., .., 8..32, 10..40];
        var tile = new TileGeometry(scale, scale, 10, 8, 30, 24, 32, 32, 40, 24);
        var part = Resampler.Resize(tileLr, tile.LrToHrY, tile.LrToHrX, ResampleKernel.Bicubic);
        var crop = full[.., .., 32..56, 32..72];
        Assert.True(allclose(crop, part, rtol: 0, atol: 1e-5));
    }
}
