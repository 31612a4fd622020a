using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

/// <summary>TorchSharp's native library loads from a clean build and computes correctly (see build/WeakenGlibcxxRequirement.cs).</summary>
public class TorchLoadsTests
{
    [Fact]
    public void Convolution_matches_a_hand_computed_sum()
    {
        // 1x1x3x3 input of 1..9, 2x2 kernel of ones, no padding: each output is the sum of a 2x2 window.
        var x = arange(1, 10, dtype: ScalarType.Float32).reshape(1, 1, 3, 3);
        var w = ones(1, 1, 2, 2);
        var y = nn.functional.conv2d(x, w);
        Assert.Equal(new float[] { 12, 16, 24, 28 }, y.data<float>().ToArray());
    }

    [Fact]
    public void Pixel_shuffle_moves_channels_to_space()
    {
        var x = arange(4, dtype: ScalarType.Float32).reshape(1, 4, 1, 1);
        var y = nn.functional.pixel_shuffle(x, 2);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, y.shape);
        Assert.Equal(new float[] { 0, 1, 2, 3 }, y.data<float>().ToArray());
    }

    [Fact]
    public void Grid_sample_with_identity_grid_returns_the_input()
    {
        var x = rand(1, 2, 5, 7, generator: new Generator().manual_seed(1));
        var theta = tensor(new float[] { 1, 0, 0, 0, 1, 0 }).reshape(1, 2, 3);
        var grid = nn.functional.affine_grid(theta, new long[] { 1, 2, 5, 7 }, align_corners: false);
        var y = nn.functional.grid_sample(x, grid, align_corners: false);
        Assert.True(allclose(x, y, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Bicubic_interpolation_keeps_a_constant_image_constant_and_doubles_the_size()
    {
        var x = full(1, 3, 4, 6, 42f);
        var y = nn.functional.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Bicubic, align_corners: false);
        Assert.Equal(new long[] { 1, 3, 8, 12 }, y.shape);
        Assert.True(allclose(y, full_like(y, 42f), rtol: 0, atol: 1e-4));
    }
}
