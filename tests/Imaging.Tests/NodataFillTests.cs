using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests;

public class NodataFillTests
{
    [Fact]
    public void Nodata_next_to_valid_pixels_takes_their_values_and_valid_pixels_are_untouched()
    {
        // One band, 5x1: valid 10, 20 then three nodata pixels.
        var tile = new RasterBlock(new PixelWindow(0, 0, 5, 1), 1, [10, 20, 0, 0, 0]);
        NodataFill.Apply(tile, [1, 1, 0, 0, 0], passes: 2);
        Assert.Equal(new float[] { 10, 20, 20, 20, 0 }, tile.Data);
    }

    [Fact]
    public void Each_pass_reads_only_the_previous_one_so_the_fill_is_symmetric()
    {
        // Valid pixels at both ends: after one pass both neighbours are filled from their own side only.
        var tile = new RasterBlock(new PixelWindow(0, 0, 5, 1), 1, [10, 0, 0, 0, 50]);
        NodataFill.Apply(tile, [1, 0, 0, 0, 1], passes: 1);
        Assert.Equal(new float[] { 10, 10, 0, 50, 50 }, tile.Data);
        NodataFill.Apply(tile, [1, 1, 0, 1, 1], passes: 1);
        Assert.Equal(30, tile.Data[2]);
    }
}
