using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.TestSupport;

namespace Pipeline.Imaging.Tests.Consistency;

/// <summary>
/// The consistency measure's parts: tiles own every LR pixel once (swaths included), per-tile sums add up to the
/// whole scene's, the degradation keeps what it should, phase correlation finds whole and half LR-pixel shifts, and
/// NaN input is never counted.
/// </summary>
public class ConsistencyMeasureTests
{
    public static TheoryData<int, int, double, int, int> Plans => new()
    {
        { 300, 170, 2, 64, 0 },
        { 300, 170, 2.37, 48, 1 },   // one-block swaths: tile columns planned twice
        { 211, 97, 4, 32, 0 },
        { 500, 40, 3.5, 40, 1 },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void Every_lr_pixel_is_measured_by_exactly_one_tile(int width, int height, double scale, int tile, int swathBlocks)
    {
        var plan = TilePlan.Create(width, height, scale, edgeMargin: 2, hrAlignment: 1,
            new TilingOptions(tile, 16, BlockSize: 256, SwathBlocks: swathBlocks));
        var owners = new int[width * height];
        for (var t = 0; t < plan.Tiles.Count; t++)
        {
            var owned = TileOwnership.OwnedLrWindow(plan, t);
            Assert.True(owned.IsEmpty || plan.Tiles[t].LrWindow.Contains(owned), $"tile {t} owns {owned} outside its input {plan.Tiles[t].LrWindow}");
            for (var y = owned.Y; y < owned.Bottom; y++)
                for (var x = owned.X; x < owned.Right; x++) owners[y * width + x]++;
        }
        Assert.All(owners, count => Assert.Equal(1, count));
        if (swathBlocks > 0) Assert.True(plan.Tiles.Count > plan.TileColumns * plan.TileRows, "the plan should repeat tile columns across swaths");
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public void Tile_sums_add_up_to_the_whole_scene(int width, int height, double scale, int tile, int swathBlocks)
    {
        var lr = Texture(width, height, bands: 3, seed: 7);
        var bicubic = new BicubicUpscaler();
        var plan = TilePlan.Create(width, height, scale, bicubic.EdgeMargin, bicubic.HrAlignment,
            new TilingOptions(tile, 16, BlockSize: 256, SwathBlocks: swathBlocks));
        var levels = new ValueRange(0, 1);
        var whole = TileConsistency.Measure(lr, null, bicubic.Upscale(lr, scale, plan.OutputWindow), lr.Window, plan.Scale, levels, 1);

        var total = new ConsistencySums(3, default);
        for (var t = 0; t < plan.Tiles.Count; t++)
        {
            var planned = plan.Tiles[t];
            var input = RasterWindows.Crop(lr, planned.LrWindow);
            total.Add(TileConsistency.Measure(input, null, bicubic.Upscale(input, scale, planned.HrWindow),
                TileOwnership.OwnedLrWindow(plan, t), plan.Scale, levels, 1));
        }
        Assert.Equal(width * height, whole.Pixels);
        Assert.Equal(whole.Pixels, total.Pixels);
        for (var b = 0; b < 3; b++) Assert.Equal(whole.AbsoluteError[b], total.AbsoluteError[b], whole.AbsoluteError[b] * 1e-5);
        Assert.Equal(whole.AngleSum, total.AngleSum, whole.AngleSum * 1e-5);
        Assert.Equal(whole.DetailOutput, total.DetailOutput, whole.DetailOutput * 1e-5);
        Assert.Equal(whole.DetailBicubic, total.DetailBicubic, whole.DetailBicubic * 1e-5);
        Assert.Equal((whole.GrainInputBlocks, whole.GrainOutputBlocks), (total.GrainInputBlocks, total.GrainOutputBlocks));
        Assert.Equal(whole.GrainInput, total.GrainInput, whole.GrainInput * 1e-9);
        Assert.Equal(whole.GrainOutput, total.GrainOutput, whole.GrainOutput * 1e-5);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(2.37)]
    [InlineData(4.0)]
    public void Degrading_keeps_a_constant_and_weights_sum_to_one(double scale)
    {
        foreach (var (_, weights) in AntialiasedBicubic.Axis(0, 50, scale, 0, (int)(50 * scale)))
            Assert.Equal(1.0, weights.Sum(), 1e-12);
        var lr = new RasterBlock(new PixelWindow(0, 0, 40, 30), 1);
        lr.Data.AsSpan().Fill(0.25f);
        var output = new RasterBlock(new PixelWindow(0, 0, (int)RationalScale.FromDouble(scale).HrFloor(40), (int)RationalScale.FromDouble(scale).HrFloor(30)), 1);
        output.Data.AsSpan().Fill(0.25f);
        var sums = TileConsistency.Measure(lr, null, output, lr.Window, RationalScale.FromDouble(scale), new ValueRange(0, 1), 1);
        Assert.Equal(1200, sums.Pixels);
        Assert.True(sums.AbsoluteError[0] < 1e-9, $"a constant changed by {sums.AbsoluteError[0]}");
    }

    [Theory]
    [InlineData(4, 0)]   // a whole LR pixel
    [InlineData(2, 0)]   // half an LR pixel at ×4
    [InlineData(0, 4)]
    [InlineData(0, 0)]
    public void Phase_correlation_finds_the_output_shift(int dxHr, int dyHr)
    {
        var lr = Texture(128, 128, bands: 1, seed: 3);
        var rational = RationalScale.FromDouble(4);
        var output = new BicubicUpscaler().Upscale(lr, 4, new PixelWindow(0, 0, 512, 512));
        var shifted = new RasterBlock(output.Window, 1);
        for (var y = 0; y < 512; y++)
            for (var x = 0; x < 512; x++)
                shifted[0, x, y] = output[0, Math.Clamp(x - dxHr, 0, 511), Math.Clamp(y - dyHr, 0, 511)];
        var sums = TileConsistency.Measure(lr, null, shifted, lr.Window, rational, new ValueRange(0, 1), 1);
        var figures = SceneConsistency.From(sums, new ValueRange(0, 1), 4, [null], new ConsistencyThresholds());
        Assert.Equal(dxHr / 4.0, figures.ShiftX!.Value, 0.12);
        Assert.Equal(dyHr / 4.0, figures.ShiftY!.Value, 0.12);
    }

    [Fact]
    public void Nan_and_nodata_pixels_are_never_counted()
    {
        var lr = Texture(64, 64, bands: 2, seed: 5);
        lr[0, 10, 10] = float.NaN;
        var validity = Enumerable.Repeat((byte)1, 64 * 64).ToArray();
        validity[40 * 64 + 40] = 0;
        var output = new BicubicUpscaler().Upscale(lr, 2, new PixelWindow(0, 0, 128, 128));
        var sums = TileConsistency.Measure(lr, validity, output, lr.Window, RationalScale.FromDouble(2), new ValueRange(0, 1), 1);
        var figures = SceneConsistency.From(sums, new ValueRange(0, 1), 2, [null, null], new ConsistencyThresholds());
        Assert.True(double.IsFinite(figures.Inconsistency) && double.IsFinite(figures.Detail) && figures.SpectralAngle is { } angle && double.IsFinite(angle));
        // The NaN poisons the output around it (bicubic reaches 2 px): what its support touches is left out too, as is
        // everything within 2 px of the nodata pixel. Nothing else is.
        Assert.InRange(sums.Pixels, 64 * 64 - 2 * 25 - 2 * 16, 64 * 64 - 25);
    }

    /// <summary>Broadband random texture in about [0.1, 0.9] (white noise under a 3×3 box blur), as real ground is.</summary>
    internal static RasterBlock Texture(int width, int height, int bands, int seed)
    {
        var random = new Random(seed);
        var noise = new double[width * height];
        var block = new RasterBlock(new PixelWindow(0, 0, width, height), bands);
        for (var b = 0; b < bands; b++)
        {
            for (var i = 0; i < noise.Length; i++) noise[i] = random.NextDouble();
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    double sum = 0;
                    for (var v = -1; v <= 1; v++)
                        for (var u = -1; u <= 1; u++) sum += noise[Math.Clamp(y + v, 0, height - 1) * width + Math.Clamp(x + u, 0, width - 1)];
                    block[b, x, y] = (float)(0.1 + 0.8 * sum / 9);
                }
        }
        return block;
    }
}
