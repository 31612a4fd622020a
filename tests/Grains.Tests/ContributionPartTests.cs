using Pipeline.Grains.Stitching;
using Pipeline.Imaging;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Grains.Tests;

public sealed class ContributionPartTests
{
    static TileContribution SampleContribution(int bands)
    {
        var plan = TilePlan.Create(300, 260, 2, new BicubicUpscaler(), new TilingOptions(128, 16, 256));
        var tile = plan.Tiles[4];
        var hr = new RasterBlock(tile.HrWindow, bands);
        var random = new Random(3);
        for (var i = 0; i < hr.Data.Length; i++) hr.Data[i] = random.Next(0, 4096);
        return ContributionBuilder.Build(plan, tile.Index, hr).First();
    }

    [Fact]
    public void A_contribution_under_the_cap_travels_whole_without_copying()
    {
        var contribution = SampleContribution(bands: 3);

        var parts = ContributionPart.Split(contribution);

        var part = Assert.Single(parts);
        Assert.True(part.IsWhole);
        Assert.Same(contribution.WeightedSums, part.WeightedSums);
    }

    [Fact]
    public void Parts_reassemble_exactly_in_any_order_with_repeats()
    {
        var contribution = SampleContribution(bands: 4);
        var rowBytes = ContributionPart.RowBytes(contribution.Window.Width, contribution.Bands);
        var parts = ContributionPart.Split(contribution, maxBytes: rowBytes * 7);
        Assert.True(parts.Count > 3);
        Assert.All(parts, p => Assert.True(p.RowCount * rowBytes <= rowBytes * 7));

        var shuffled = parts.Concat(parts.Take(2)).OrderBy(_ => Random.Shared.Next()).ToList();
        var assembler = new ContributionAssembler();
        var results = shuffled.Select(assembler.Add).Where(c => c is not null).ToList();

        // Parts repeated after completion start a new partial; the stitcher filters tiles it holds before this.
        var whole = results.First()!;
        Assert.Equal(contribution.Window, whole.Window);
        Assert.Equal(contribution.WeightedSums, whole.WeightedSums);
        Assert.Equal(contribution.Weights, whole.Weights);
    }
}
