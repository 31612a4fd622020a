using Pipeline.Imaging.Tiling;

namespace Pipeline.Imaging.Tests.Tiling;

/// <summary>Blocks sum their contributions in tile-index order, so the mosaic is bit-for-bit the same whatever order
/// tiles arrive in, repeated or from several threads.</summary>
public class ArrivalOrderTests
{
    [Theory]
    [InlineData(2.0, 64, 16)]
    [InlineData(3.5, 64, 24)]
    [InlineData(2.37, 128, 16)]
    public void Shuffled_repeated_and_parallel_arrivals_give_identical_bits(double scale, int tileSize, int overlap)
    {
        var scene = Scenes.SmoothFieldWithNoise(260, 190, bands: 3, seed: 11);
        var upscaler = new BicubicUpscaler();
        var plan = TilePlan.Create(260, 190, scale, upscaler, new TilingOptions(tileSize, overlap, 256));
        var inOrder = TiledUpscaling.Upscale(scene, upscaler, plan);

        for (var seed = 0; seed < 3; seed++)
        {
            var order = Enumerable.Range(0, plan.Tiles.Count).ToArray();
            new Random(seed).Shuffle(order);
            Scenes.AssertBitIdentical(inOrder, TiledUpscaling.Upscale(scene, upscaler, plan, tileOrder: order));
        }
        var withRetries = Enumerable.Range(0, plan.Tiles.Count).Reverse().SelectMany(i => new[] { i, i }).ToArray();
        Scenes.AssertBitIdentical(inOrder, TiledUpscaling.Upscale(scene, upscaler, plan, tileOrder: withRetries));
        Scenes.AssertBitIdentical(inOrder, TiledUpscaling.Upscale(scene, upscaler, plan, maxParallelism: 4));
    }

    [Fact]
    public void Missing_tiles_are_reported()
    {
        var scene = Scenes.SmoothFieldWithNoise(100, 100, bands: 1, seed: 2);
        var upscaler = new BicubicUpscaler();
        var plan = TilePlan.Create(100, 100, 2, upscaler, new TilingOptions(48, 16, 256));

        var error = Assert.Throws<ArgumentException>(() =>
            TiledUpscaling.Upscale(scene, upscaler, plan, tileOrder: Enumerable.Range(1, plan.Tiles.Count - 1)));
        Assert.Contains("unfinished", error.Message);
    }
}
