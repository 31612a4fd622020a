using Pipeline.Grains.Messages;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Tests;

public sealed class TilePixelsTests
{
    static readonly PixelWindow Window = new(3, 4, 5, 1);

    [Fact]
    public void Float32_packing_is_lossless()
    {
        var block = new RasterBlock(Window, 1, [-1.5f, 0.1f, float.MaxValue, 65535.25f, 7f]);

        Assert.Equal(block.Data, TilePixels.FromBlock(block, SampleFormat.Float32).ToBlock().Data);
    }

    [Fact]
    public void Uint16_packing_rounds_half_away_from_zero_clamps_and_zeroes_nan()
    {
        var block = new RasterBlock(Window, 1, [-3f, 0.5f, 1.49f, 70000f, float.NaN]);

        var unpacked = TilePixels.FromBlock(block, SampleFormat.UInt16).ToBlock();

        Assert.Equal([0f, 1f, 1f, 65535f, 0f], unpacked.Data);
        Assert.Equal(Window, unpacked.Window);
    }

    [Fact]
    public void Uint8_packing_clamps_to_255()
    {
        var block = new RasterBlock(Window, 1, [254.5f, 256f, 2.5f, -0.4f, 128f]);

        Assert.Equal([255f, 255f, 3f, 0f, 128f], TilePixels.FromBlock(block, SampleFormat.UInt8).ToBlock().Data);
    }

    [Fact]
    public void Bytes_must_match_the_window_bands_and_format()
    {
        Assert.Throws<ArgumentException>(() => TilePixels.FromBytes(Window, 2, SampleFormat.UInt16, new byte[19]));
        Assert.Equal(20, TilePixels.FromBytes(Window, 2, SampleFormat.UInt16, new byte[20]).Data.Length);
    }

    [Fact]
    public void A_window_that_would_not_fit_in_a_message_is_refused()
    {
        // ×4 of 512² with 4 bands: 64 MiB as float32, 32 MiB as uint16 (the limit itself).
        var hr = new PixelWindow(0, 0, 2048, 2048);

        Assert.Throws<ArgumentException>(() => TilePixels.EnsureFits(hr, 4, SampleFormat.Float32, "tile"));
        TilePixels.EnsureFits(hr, 4, SampleFormat.UInt16, "tile");
    }
}
