using Pipeline.Grains.Messages;
using Pipeline.Imaging;

namespace Pipeline.Grains.Tests;

/// <summary>Deterministic uint16 LR tiles, like a 16-bit satellite scene.</summary>
static class TestTiles
{
    public static RasterBlock Lr(PixelWindow window, int bands, int seed)
    {
        var random = new Random(seed);
        var block = new RasterBlock(window, bands);
        for (var i = 0; i < block.Data.Length; i++) block.Data[i] = random.Next(0, 65536);
        return block;
    }

    public static PixelWindow HrWindowOf(PixelWindow lr, int scale) =>
        new(lr.X * scale, lr.Y * scale, lr.Width * scale, lr.Height * scale);

    public static TileRequest Request(string jobId, int tileIndex, SampleFormat resultFormat = SampleFormat.Float32)
    {
        var lr = new PixelWindow(16 * tileIndex, 8, 16, 12);
        return new TileRequest(jobId, tileIndex, TilePixels.FromBlock(Lr(lr, 2, tileIndex), SampleFormat.UInt16), 2, HrWindowOf(lr, 2), resultFormat);
    }
}
