using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Consistency;

/// <summary><c>--consistency enforce</c> on its own: tiles whose outputs drift in colour and contrast come out consistent
/// with their input to the stated tolerance over every pixel they own, at an awkward scale, deterministically, and
/// without taking anything from nodata.</summary>
public class ConsistencyEnforcerTests
{
    [Fact]
    public void Drifting_tiles_are_pulled_onto_their_input_at_an_awkward_scale()
    {
        var lr = ConsistencyMeasureTests.Texture(150, 110, bands: 3, seed: 11);
        var bicubic = new BicubicUpscaler();
        var plan = TilePlan.Create(150, 110, 2.37, bicubic.EdgeMargin, bicubic.HrAlignment, new TilingOptions(48, 16, BlockSize: 256));
        var levels = new ValueRange(0, 1);
        var before = new ConsistencySums(3, default);
        var after = new ConsistencySums(3, default);
        for (var t = 0; t < plan.Tiles.Count; t++)
        {
            var tile = plan.Tiles[t];
            var input = RasterWindows.Crop(lr, tile.LrWindow);
            var drifted = bicubic.Upscale(input, 2.37, tile.HrWindow);
            for (var i = 0; i < drifted.Data.Length; i++) drifted.Data[i] = drifted.Data[i] * 1.05f + 0.02f;
            var owned = TileOwnership.OwnedLrWindow(plan, t);
            before.Add(TileConsistency.Measure(input, null, drifted, owned, plan.Scale, levels, 1));
            var enforced = ConsistencyEnforcer.Apply(input, null, drifted, plan.Scale, plan.OutputWindow);
            Assert.Equal(enforced.Data, ConsistencyEnforcer.Apply(input, null, drifted, plan.Scale, plan.OutputWindow).Data);
            after.Add(TileConsistency.Measure(input, null, enforced, owned, plan.Scale, levels, 1));
        }
        var (was, now) = (Figures(before), Figures(after));
        Assert.True(was.Inconsistency > 2 && was.Bias > 2, $"the drift should be gross before: {was}");
        Assert.True(now.Inconsistency <= 0.25, $"after: {now.Inconsistency} %");
        Assert.True(now.Bias <= 0.05, $"after: bias {now.Bias} %");
    }

    [Fact]
    public void Nodata_is_never_a_source_of_correction()
    {
        var lr = ConsistencyMeasureTests.Texture(40, 40, bands: 1, seed: 2);
        var validity = Enumerable.Repeat((byte)1, 1600).ToArray();
        for (var y = 10; y < 20; y++)
            for (var x = 10; x < 20; x++)
            {
                validity[y * 40 + x] = 0;
                lr[0, x, y] = 1e6f; // what a nodata pixel holds must not leak into the output
            }
        var output = new BicubicUpscaler().Upscale(ConsistencyMeasureTests.Texture(40, 40, bands: 1, seed: 2), 2, new PixelWindow(0, 0, 80, 80));
        var enforced = ConsistencyEnforcer.Apply(lr, validity, output, RationalScale.FromDouble(2), output.Window);
        Assert.All(enforced.Data, v => Assert.InRange(v, -0.5f, 1.5f));
    }

    static SceneConsistency Figures(ConsistencySums sums) =>
        SceneConsistency.From(sums, new ValueRange(0, 1), 2.37, [null, null, null], new ConsistencyThresholds());
}
