using Pipeline.Imaging.Rasters;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;

namespace Pipeline.Models.Tests;

public class TileUpscalerTests
{
    static RasterBlock Block(PixelWindow w, int bands, float max, int seed)
    {
        var block = new RasterBlock(w, bands);
        var r = new Random(seed);
        for (var i = 0; i < block.Data.Length; i++) block.Data[i] = (float)Math.Round(r.NextDouble() * max);
        return block;
    }

    [Fact]
    public void Declares_alignment_and_margin()
    {
        using var up = new LatentTileUpscaler(new SuperResolver(TestModels.RandomSrModel()), ownsResolver: true);
        Assert.Equal(8, up.HrAlignment);
        Assert.True(up.EdgeMargin > 0);
        Assert.Equal("deterministic-small", up.Name); // no sampler named: the family's default
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Upscales_any_band_count_onto_the_requested_window(int bands)
    {
        using var up = new LatentTileUpscaler(new SuperResolver(TestModels.RandomSrModel()),
            TileUpscalerOptions.ForUInt16(new SamplingOptions("e2diffsr", 3), whiteLevel: 4095), ownsResolver: true);
        var lr = Block(new PixelWindow(20, 10, 12, 9), bands, 4095, bands);
        // Window not a multiple of 8 in size; offset a multiple of 8; scale non-integer.
        var hr = new PixelWindow(56, 32, 27, 19);
        var result = up.Upscale(lr, 2.5, hr);
        Assert.Equal(hr, result.Window);
        Assert.Equal(bands, result.Bands);
        Assert.All(result.Data, v => Assert.InRange(v, 0f, 4095f));
    }

    [Fact]
    public void Values_outside_the_white_level_are_not_saturated()
    {
        using var up = new LatentTileUpscaler(new SuperResolver(TestModels.RandomSrModel()),
            new TileUpscalerOptions(new SamplingOptions("deterministic"), WhiteLevel: 255), ownsResolver: true);
        var lr = new RasterBlock(new PixelWindow(0, 0, 8, 8), 3);
        Array.Fill(lr.Data, 1000f);
        var result = up.Upscale(lr, 2, new PixelWindow(0, 0, 16, 16));
        Assert.All(result.Data, v => Assert.True(v > 700f, $"{v}"));
    }

    [Fact]
    public void Same_tile_same_output_and_calls_from_threads_are_safe()
    {
        using var up = new LatentTileUpscaler(new SuperResolver(TestModels.RandomSrModel()), ownsResolver: true);
        var lr = Block(new PixelWindow(0, 0, 10, 10), 3, 255, 1);
        var hr = new PixelWindow(0, 0, 30, 30);
        var results = new RasterBlock[4];
        Parallel.For(0, 4, i => results[i] = up.Upscale(lr, 3, hr));
        for (var i = 1; i < 4; i++) Assert.Equal(results[0].Data, results[i].Data);
    }
}
