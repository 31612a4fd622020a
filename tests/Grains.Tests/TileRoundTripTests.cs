using Pipeline.Grains.Messages;
using Pipeline.Grains.Workers;
using Pipeline.Imaging;

namespace Pipeline.Grains.Tests;

[Collection(WorkerClusterCollection.Name)]
public sealed class TileRoundTripTests(WorkerClusterFixture fixture)
{
    static readonly PixelWindow LrWindow = new(100, 50, 37, 29);
    const double Scale = 2.5;
    static readonly PixelWindow HrWindow = new(250, 125, 92, 72);

    [Fact]
    public async Task A_float32_result_is_exactly_what_bicubic_computes_locally()
    {
        var lr = TestTiles.Lr(LrWindow, bands: 3, seed: 7);
        var expected = new BicubicUpscaler().Upscale(lr, Scale, HrWindow);

        var result = await Upscale(lr, SampleFormat.Float32);

        var hr = result.Hr.ToBlock();
        Assert.Equal(HrWindow, hr.Window);
        Assert.Equal(3, hr.Bands);
        Assert.Equal(expected.Data, hr.Data);
        Assert.Equal("bicubic", result.Model);
        Assert.Equal("round-trip", result.JobId);
        Assert.Equal(5, result.TileIndex);
    }

    [Fact]
    public async Task A_uint16_result_is_bicubic_quantized_like_the_scene()
    {
        var lr = TestTiles.Lr(LrWindow, bands: 2, seed: 11);
        var expected = TilePixels.FromBlock(new BicubicUpscaler().Upscale(lr, Scale, HrWindow), SampleFormat.UInt16);

        var result = await Upscale(lr, SampleFormat.UInt16);

        Assert.Equal(SampleFormat.UInt16, result.Hr.Format);
        Assert.True(expected.Data.SequenceEqual(result.Hr.Data));
    }

    Task<TileResult> Upscale(RasterBlock lr, SampleFormat resultFormat)
    {
        var request = new TileRequest("round-trip", 5, TilePixels.FromBlock(lr, SampleFormat.UInt16), Scale, HrWindow, resultFormat);
        return fixture.Cluster.Client.ForTile(request.TileIndex).Upscale(request);
    }
}
