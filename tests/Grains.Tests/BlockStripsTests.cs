using Pipeline.Grains.Messages;
using Pipeline.Grains.Writing;
using Pipeline.Imaging;

namespace Pipeline.Grains.Tests;

public sealed class BlockStripsTests
{
    [Fact]
    public void A_block_that_fits_one_message_goes_whole()
    {
        var block = new RasterBlock(new PixelWindow(512, 0, 512, 300), 4);

        Assert.Same(block, Assert.Single(BlockStrips.Split(block, 256)));
    }

    [Fact]
    public void A_block_over_the_cap_goes_in_strips_of_whole_writer_tiles_that_rebuild_it()
    {
        var bands = 40; // one 256-row strip of 512 columns: 20 MiB, two of them over the 32 MiB cap
        var block = new RasterBlock(new PixelWindow(0, 512, 512, 500), bands);
        for (var i = 0; i < block.Data.Length; i++) block.Data[i] = i % 9973;

        var strips = BlockStrips.Split(block, 256).ToList();

        Assert.Equal([new PixelWindow(0, 512, 512, 256), new PixelWindow(0, 768, 512, 244)], strips.Select(s => s.Window));
        Assert.All(strips, s => Assert.True(TilePixels.ByteCount(s.Window, bands, SampleFormat.Float32) <= TilePixels.MaxBytes));
        for (var band = 0; band < bands; band++)
            Assert.True(block.Band(band).SequenceEqual([.. strips[0].Band(band), .. strips[1].Band(band)]));
    }

    [Fact]
    public void A_block_too_wide_for_even_one_row_of_tiles_is_refused_up_front()
    {
        var error = Assert.Throws<ArgumentException>(() => BlockStrips.RowsPerStrip(4096, 16, 256));
        Assert.Contains("smaller block size", error.Message);
    }
}
