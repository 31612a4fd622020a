using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>A stitching grain's accumulator: idempotent under retries, complete only with every expected
/// contribution, and independent of arrival order.</summary>
public class BlockAccumulatorTests
{
    readonly TilePlan plan = TilePlan.Create(200, 200, 2, new BicubicUpscaler(), new TilingOptions(64, 16, 256));
    readonly RasterBlock scene = Scenes.SmoothFieldWithNoise(200, 200, bands: 2, seed: 4);

    OutputBlock BusiestBlock => plan.Blocks.MaxBy(b => b.Contributors.Count)!;

    List<TileContribution> ContributionsTo(OutputBlock block) =>
        block.Contributors.Select(tileIndex =>
        {
            var tile = plan.Tiles[tileIndex];
            var hrTile = new BicubicUpscaler().Upscale(Crop(scene, tile.LrWindow), plan.Scale.Value, tile.HrWindow);
            return ContributionBuilder.Build(plan, tileIndex, hrTile).Single(c => c.BlockIndex == block.Index);
        }).ToList();

    [Fact]
    public void Not_finished_until_every_contribution_is_in_and_duplicates_are_ignored()
    {
        var block = BusiestBlock;
        Assert.True(block.Contributors.Count >= 4);
        var contributions = ContributionsTo(block);
        var accumulator = new BlockAccumulator(block, bands: 2, nodata: -1);

        foreach (var contribution in contributions.Skip(1).Reverse())
        {
            Assert.True(accumulator.Add(contribution));
            Assert.False(accumulator.Add(contribution));
            Assert.False(accumulator.IsComplete);
            Assert.Throws<InvalidOperationException>(() => accumulator.Finish());
        }
        Assert.Equal(block.Contributors.Count - 1, accumulator.ReceivedCount);
        Assert.True(accumulator.Add(contributions[0]));
        Assert.True(accumulator.IsComplete);
        Assert.False(accumulator.Add(contributions[^1]));

        var reversed = accumulator.Finish();
        Assert.True(accumulator.IsFinished);
        Assert.Throws<InvalidOperationException>(() => accumulator.Finish());

        var inOrder = new BlockAccumulator(block, bands: 2, nodata: -1);
        foreach (var contribution in contributions) inOrder.Add(contribution);
        Scenes.AssertBitIdentical(inOrder.Finish(), reversed);
    }

    [Fact]
    public void Contributions_the_block_does_not_expect_are_rejected()
    {
        var block = BusiestBlock;
        var contribution = ContributionsTo(block)[0];
        var accumulator = new BlockAccumulator(block, bands: 2, nodata: 0);
        var stranger = plan.Tiles.First(t => !block.Contributors.Contains(t.Index)).Index;

        Assert.Throws<ArgumentException>(() => accumulator.Add(contribution with { TileIndex = stranger }));
        Assert.Throws<ArgumentException>(() => accumulator.Add(contribution with { BlockIndex = block.Index + 1 }));
        Assert.Throws<ArgumentException>(() => accumulator.Add(contribution with { Weights = new float[3] }));
        Assert.Throws<ArgumentException>(() => new BlockAccumulator(block, bands: 3, nodata: 0).Add(contribution));
        Assert.Equal(0, accumulator.ReceivedCount);
    }

    [Fact]
    public void Stitcher_returns_each_block_once_and_releases_it()
    {
        var stitcher = new MosaicStitcher(plan, bands: 2, nodata: 0);
        var returned = new List<PixelWindow>();
        foreach (var tile in plan.Tiles.Reverse())
        {
            var hrTile = new BicubicUpscaler().Upscale(Crop(scene, tile.LrWindow), plan.Scale.Value, tile.HrWindow);
            var finished = stitcher.AddTile(tile.Index, hrTile);
            Assert.Empty(stitcher.AddTile(tile.Index, hrTile));
            returned.AddRange(finished.Select(b => b.Window));
            // A block comes back exactly when its lowest-index contributor (the last to arrive here) is in.
            Assert.Equal(plan.Blocks.Where(b => b.Contributors[0] == tile.Index).Select(b => b.Window), finished.Select(b => b.Window));
        }
        Assert.True(stitcher.IsComplete);
        Assert.Equal(plan.Blocks.Select(b => b.Window).OrderBy(w => (w.Y, w.X)), returned.OrderBy(w => (w.Y, w.X)));
    }

    static RasterBlock Crop(RasterBlock source, PixelWindow window)
    {
        var crop = new RasterBlock(window, source.Bands);
        for (var b = 0; b < source.Bands; b++)
            for (var y = 0; y < window.Height; y++)
                source.Data.AsSpan(source.IndexOf(b, window.X, window.Y + y), window.Width).CopyTo(crop.Data.AsSpan(crop.IndexOf(b, 0, y)));
        return crop;
    }
}
