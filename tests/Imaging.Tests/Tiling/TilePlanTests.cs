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
        Assert.Equal(112, plan.Stride);
        Assert.Equal(4000, plan.OutputWidth);
        Assert.Equal(8, plan.BlockColumns);
    }

    [Fact]
    public void Last_tile_snaps_to_the_scene_edge_on_the_lattice()
    {
        // Scale 2.37 = 237/100: starts on multiples of 100, so the stride is 100 and the last tile
        // starts at 300 (≤ 450 − 128 = 322) and runs to the edge, 150 pixels wide.
        var plan = TilePlan.Create(450, 128, 2.37, new BicubicUpscaler());

        Assert.Equal(new RationalScale(237, 100), plan.Scale);
        Assert.Equal([0, 100, 200, 300], plan.Tiles.Select(t => t.LrWindow.X));
        Assert.Equal(new PixelWindow(300, 0, 150, 128), plan.Tiles[^1].LrWindow);
        Assert.Equal(new PixelWindow(711, 0, 1066 - 711, 303), plan.Tiles[^1].HrWindow);
        Assert.Equal(1066, plan.OutputWidth);
    }

    [Fact]
    public void Latent_alignment_puts_hr_offsets_on_multiples_of_8()
    {
        // 3.5 = 7/2 with HR alignment 8: LR starts on multiples of 16 (HR multiples of 56).
        var plan = TilePlan.Create(500, 300, 3.5, edgeMargin: 2, hrAlignment: 8);

        Assert.Equal(16, plan.Lattice);
        Assert.Equal(112, plan.Stride);
        Assert.All(plan.Tiles, t => Assert.True(t.HrWindow.X % 8 == 0 && t.HrWindow.Y % 8 == 0));
    }

    [Fact]
    public void Overcompute_is_the_extra_hr_area()
    {
        var plan = TilePlan.Create(112 * 3 + 16, 112 * 3 + 16, 2, new BicubicUpscaler());

        Assert.Equal(3, plan.TileColumns);
        Assert.Equal(9.0 * 256 * 256 / (704.0 * 704) - 1, plan.OverlapOvercompute, 12);
    }

    [Fact]
    public void Scale_whose_lattice_exceeds_the_stride_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => TilePlan.Create(500, 500, 2.37, new BicubicUpscaler(), new TilingOptions(64, 16)));
        Assert.Contains("237/100", error.Message);
        Assert.Contains("multiples of 100", error.Message);

        Assert.Throws<ArgumentException>(() => TilePlan.Create(500, 500, 2.37, edgeMargin: 2, hrAlignment: 8));
        Assert.Throws<ArgumentException>(() => TilePlan.Create(500, 500, Math.PI, new BicubicUpscaler()));
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
