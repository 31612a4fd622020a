using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>Concrete layouts and the messages for plans that cannot work.</summary>
public class TilePlanTests
{
    [Fact]
    public void Defaults_are_128_pixel_tiles_16_overlap_512_blocks()
    {
        var plan = TilePlan.Create(1000, 1000, 4, new BicubicUpscaler());

        Assert.Equal(new TilingOptions(128, 16, 512), plan.Options);
        Assert.Equal(512, plan.TileSizeHr);
        Assert.Equal(64, plan.OverlapHr);
        Assert.Equal(4000, plan.OutputWidth);
        Assert.Equal(8, plan.BlockColumns);
    }

    [Fact]
    public void Tiles_are_equal_hr_windows_and_read_the_lr_pixels_their_taps_reach()
    {
        // 450 × 2.37 = 1066 HR px; tiles of at most floor(128 × 2.37) = 303 with ≥ 37 overlap: n = ceil(1029 / 266) = 4,
        // size ceil((1066 + 3 × 37) / 4) = 295, starts evenly spread over [0, 1066 − 295].
        var plan = TilePlan.Create(450, 128, 2.37, new BicubicUpscaler());

        Assert.Equal(new RationalScale(237, 100), plan.Scale);
        Assert.Equal([0, 257, 514, 771], plan.Tiles.Select(t => t.HrWindow.X));
        Assert.All(plan.Tiles, t => Assert.Equal(295, t.HrWindow.Width));
        Assert.Equal(1066, plan.OutputWidth);
        // HR 771..1065: centres map to LR (771.5 / 2.37 − 0.5) = 325.03 .. 449.2; taps from 324 to the scene edge.
        Assert.Equal(new PixelWindow(324, 0, 450 - 324, 128), plan.Tiles[^1].LrWindow);
    }

    [Theory]
    [InlineData(2.37)]
    [InlineData(3.3333)]
    [InlineData(Math.PI)]
    [InlineData(31.9)]
    public void Any_real_scale_plans_with_latent_alignment(double scale)
    {
        var plan = TilePlan.Create(500, 300, scale, edgeMargin: 2, hrAlignment: 8, new TilingOptions(64, 16));

        Assert.True(plan.Tiles.Count > 1);
        Assert.All(plan.Tiles, t => Assert.True(t.HrWindow.X % 8 == 0 && t.HrWindow.Y % 8 == 0));
    }

    [Fact]
    public void Overcompute_is_the_extra_hr_area()
    {
        // 704 LR at ×2 = 1408 HR, tiles ≤ 256 with ≥ 32 overlap: n = ceil(1376 / 224) = 7, size ceil((1408 + 6·32) / 7) = 229.
        var plan = TilePlan.Create(704, 704, 2, new BicubicUpscaler());

        Assert.Equal(7, plan.TileColumns);
        Assert.Equal(6 * 229 + (1408 - plan.Tiles[6].HrWindow.X), plan.Tiles.Where(t => t.Row == 0).Sum(t => t.HrWindow.Width));
        var side = plan.Tiles.Where(t => t.Row == 0).Sum(t => (double)t.HrWindow.Width);
        Assert.Equal(side * side / (1408.0 * 1408) - 1, plan.OverlapOvercompute, 12);
    }

    [Fact]
    public void A_huge_declared_scene_plans_in_memory_proportional_to_its_rows_and_columns()
    {
        // 1 000 000² LR at ×4: about 80 million tiles and 61 million blocks, none of them stored.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var plan = TilePlan.Create(1_000_000, 1_000_000, 4, new BicubicUpscaler());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(plan.Tiles.Count > 75_000_000, $"{plan.Tiles.Count} tiles");
        Assert.True(allocated < 16 << 20, $"planning allocated {allocated / 1e6:F1} MB");
        var middle = plan.Tiles[plan.Tiles.Count / 2];
        Assert.All(middle.Blocks, block => Assert.Contains(middle.Index, plan.Blocks[block].Contributors));
        Assert.InRange(plan.OverlapOvercompute, 0.05, 0.5); // 128-px bicubic tiles, plus the columns planned in two swaths
    }

    [Fact]
    public void Scales_outside_1_to_32_and_tiles_not_above_the_overlap_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePlan.Create(500, 500, 32.5, new BicubicUpscaler()));
        var error = Assert.Throws<ArgumentException>(() => TilePlan.Create(500, 500, 2, edgeMargin: 2, hrAlignment: 8, new TilingOptions(18, 16)));
        Assert.Contains("must exceed the overlap", error.Message);
    }

    [Fact]
    public void Overlap_without_room_for_a_ramp_is_rejected_with_the_minimum()
    {
        // Margin 4 LR px at scale 2 is 8 HR px per side; 8 LR px overlap = 16 HR px leaves nothing.
        var error = Assert.Throws<ArgumentException>(() =>
            TilePlan.Create(500, 500, 2, edgeMargin: 4, hrAlignment: 1, new TilingOptions(128, 8)));
        Assert.Contains("at least 9 LR px", error.Message);

        TilePlan.Create(500, 500, 2, edgeMargin: 4, hrAlignment: 1, new TilingOptions(128, 9));
    }

    [Theory]
    [InlineData(128, 128, 512)]
    [InlineData(128, -1, 512)]
    [InlineData(0, 0, 512)]
    [InlineData(128, 16, 300)]
    [InlineData(128, 16, 0)]
    public void Invalid_options_are_rejected(int tileSize, int overlap, int blockSize) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            TilePlan.Create(100, 100, 2, new BicubicUpscaler(), new TilingOptions(tileSize, overlap, blockSize)));

    [Theory]
    [InlineData(0, 10, 2.0)]
    [InlineData(10, 0, 2.0)]
    [InlineData(10, 10, 0.5)]
    [InlineData(10, 10, double.NaN)]
    public void Invalid_scenes_and_scales_are_rejected(int width, int height, double scale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePlan.Create(width, height, scale, new BicubicUpscaler()));
}
