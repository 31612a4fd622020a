using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>Invalid LR pixels become nodata in HR and take no part in any valid pixel's blend.</summary>
public class NodataTests
{
    const float Nodata = -9999;

    [Theory]
    [InlineData(2.0, 64, 16)]
    [InlineData(3.5, 64, 24)]
    [InlineData(2.37, 128, 16)]
    public void Invalid_lr_pixels_become_nodata_and_valid_pixels_blend_as_without_a_mask(double scale, int tileSize, int overlap)
    {
        const int width = 230, height = 170;
        var scene = Scenes.SmoothFieldWithNoise(width, height, bands: 2, seed: 8);
        var validity = new byte[width * height];
        Array.Fill(validity, (byte)1);
        // A block of nodata straddling tile overlaps, a stripe along the scene border and scattered bad pixels.
        for (var y = 40; y < 95; y++) for (var x = 50; x < 140; x++) validity[y * width + x] = 0;
        for (var y = 0; y < height; y++) validity[y * width] = 0;
        var random = new Random(3);
        for (var i = 0; i < 300; i++) validity[random.Next(validity.Length)] = 0;
        for (var i = 0; i < validity.Length; i++)
            if (validity[i] == 0) { scene.Data[i] = float.NaN; scene.Data[validity.Length + i] = float.NaN; }
        var upscaler = new BicubicUpscaler();
        var plan = TilePlan.Create(width, height, scale, upscaler, new TilingOptions(tileSize, overlap, 256));

        var masked = TiledUpscaling.Upscale(scene, upscaler, plan, Nodata, validity);
        // The same blend with the NaNs in the data but no mask: equal to the masked one wherever the mask is valid,
        // because a mask may only remove weight from the HR pixels inside invalid LR pixels.
        var unmasked = TiledUpscaling.Upscale(scene, upscaler, plan, Nodata);

        for (var band = 0; band < 2; band++)
            for (var y = 0; y < plan.OutputHeight; y++)
                for (var x = 0; x < plan.OutputWidth; x++)
                {
                    var lrX = (int)Math.Floor((x + 0.5) / scale);
                    var lrY = (int)Math.Floor((y + 0.5) / scale);
                    if (validity[lrY * width + lrX] == 0)
                        Assert.Equal(Nodata, masked[band, x, y]);
                    else
                        Assert.Equal(BitConverter.SingleToInt32Bits(unmasked[band, x, y]), BitConverter.SingleToInt32Bits(masked[band, x, y]));
                }
    }

    [Fact]
    public void A_tile_that_marks_pixels_invalid_leaves_them_to_its_valid_neighbour()
    {
        var plan = TilePlan.Create(100, 40, 2, new BicubicUpscaler(), new TilingOptions(64, 24, 256));
        Assert.Equal(2, plan.Tiles.Count);
        var (left, right) = (plan.Tiles[0], plan.Tiles[1]);
        var stitcher = new MosaicStitcher(plan, bands: 1, Nodata);
        var leftInvalid = new byte[left.LrWindow.Area];

        var blocks = stitcher.AddTile(0, Constant(left.HrWindow, 100), leftInvalid)
            .Concat(stitcher.AddTile(1, Constant(right.HrWindow, 200))).ToList();

        var block = Assert.Single(blocks);
        for (var y = 0; y < block.Height; y++)
            for (var x = 0; x < block.Width; x++)
                // w·x / w may round in the last bit; any weight leaking from the invalid tile would pull towards 100.
                Assert.Equal(x >= right.WeightedWindow.X ? 200f : Nodata, block[0, x, y], 1e-3f);
    }

    static RasterBlock Constant(PixelWindow window, float value)
    {
        var block = new RasterBlock(window, 1);
        Array.Fill(block.Data, value);
        return block;
    }
}
