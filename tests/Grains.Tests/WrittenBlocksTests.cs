using Pipeline.Grains.Writing;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

public sealed class WrittenBlocksTests
{
    [Fact]
    public void A_block_is_written_once_every_band_group_of_every_piece_is_in_and_repeats_are_recognised()
    {
        var plan = TilePlan.Create(300, 200, 2, 0, 1, new TilingOptions());
        var block = plan.Blocks[0].Window; // 512 × 400
        var written = new WrittenBlocks(plan, bands: 40);
        var top = block with { Height = 256 };
        var bottom = new PixelWindow(0, 256, 512, 144);

        Assert.True(written.IsNewPiece(0, top, 0));
        Assert.False(written.AddPiece(0, top, 0, 32));
        Assert.False(written.IsNewPiece(0, top, 0));
        Assert.True(written.IsNewPiece(0, top, 32));
        Assert.False(written.AddPiece(0, top, 32, 8));
        Assert.False(written.AddPiece(0, bottom, 0, 32));
        Assert.False(written.IsWritten(0));
        Assert.True(written.AddPiece(0, bottom, 32, 8));
        Assert.True(written.IsWritten(0));
        Assert.Throws<ArgumentException>(() => written.IsNewPiece(1, top, 0));
    }
}
