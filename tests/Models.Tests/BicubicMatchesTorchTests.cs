using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

/// <summary>The C# bicubic resampler used for tiles reproduces PyTorch's bicubic interpolation.</summary>
public class BicubicMatchesTorchTests
{
    [Theory]
    [InlineData(2.0, 17, 23)]
    [InlineData(3.5, 10, 9)]
    [InlineData(4.0, 8, 12)]
    [InlineData(2.37, 13, 7)]
    public void Whole_image_upscale_equals_torch_interpolate(double scale, int width, int height)
    {
        var block = new RasterBlock(new PixelWindow(0, 0, width, height), 3);
        var random = new Random(7);
        for (var i = 0; i < block.Data.Length; i++) block.Data[i] = random.Next(256);

        var expected = nn.functional.interpolate(
            tensor(block.Data).reshape(1, 3, height, width), scale_factor: new[] { scale, scale },
            mode: InterpolationMode.Bicubic, align_corners: false, recompute_scale_factor: false);
        var outH = (int)expected.shape[2];
        var outW = (int)expected.shape[3];
        Assert.Equal((int)Math.Floor(width * scale), outW);

        var actual = new BicubicUpscaler().Upscale(block, scale, new PixelWindow(0, 0, outW, outH));
        var torchValues = expected.data<float>().ToArray();
        for (var i = 0; i < torchValues.Length; i++)
            Assert.True(Math.Abs(torchValues[i] - actual.Data[i]) < 1e-3, $"sample {i}: torch {torchValues[i]} vs ours {actual.Data[i]}");
    }
}
