using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

public sealed class SwathByBandsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(30)]
    public void Scenes_of_few_bands_keep_the_automatic_swath(int bands) =>
        Assert.Equal(0, new TilingOptions().ForBands(bands).SwathBlocks);

    [Theory]
    [InlineData(40, 6)]
    [InlineData(100, 2)]
    [InlineData(200, 1)]
    [InlineData(1000, 1)]
    public void Many_bands_narrow_the_swath_so_two_rows_of_open_blocks_fit_the_stitching_budget(int bands, int swathBlocks)
    {
        var options = new TilingOptions().ForBands(bands);

        Assert.Equal(swathBlocks, options.SwathBlocks);
        var openBytes = 2L * swathBlocks * options.BlockSize * options.BlockSize * (bands + 1) * sizeof(float);
        Assert.True(openBytes <= TilingOptions.StitchingBudget || swathBlocks == 1);
        // The narrowed swath plans the same blocks and tiles as any other swath width.
        var plan = TilePlan.Create(3000, 800, 2, 2, 1, options);
        Assert.Equal(swathBlocks, plan.SwathBlocks);
        Assert.Equal(TilePlan.Create(3000, 800, 2, 2, 1).Blocks.Count, plan.Blocks.Count);
    }

    [Fact]
    public void A_swath_the_user_chose_is_kept() =>
        Assert.Equal(5, (new TilingOptions() with { SwathBlocks = 5 }).ForBands(200).SwathBlocks);
}
