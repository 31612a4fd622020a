using Pipeline.Models.Diffusion;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

public class NoiseFieldTests
{
    [Fact]
    public void Overlapping_windows_agree_whatever_the_tiling()
    {
        const ulong seed = 42;
        var scene = SceneNoise.Window(seed, 3, 4, 0, 0, 40, 52);
        // Tiles of different sizes and origins, computed in an arbitrary order and in parallel.
        var tiles = new[] { (Y: 0, X: 0, H: 24, W: 24), (Y: 16, X: 20, H: 24, W: 32), (Y: 5, X: 37, H: 35, W: 15), (Y: 33, X: 0, H: 7, W: 52) };
        Parallel.ForEach(tiles.Reverse(), t =>
        {
            var window = SceneNoise.Window(seed, 3, 4, t.Y, t.X, t.H, t.W);
            for (var c = 0; c < 4; c++)
                for (var y = 0; y < t.H; y++)
                    for (var x = 0; x < t.W; x++)
                        Assert.Equal(scene[(c * 40 + t.Y + y) * 52 + t.X + x], window[(c * t.H + y) * t.W + x]);
        });
    }

    [Fact]
    public void Noise_is_a_pure_function_of_seed_step_channel_and_position()
    {
        Assert.Equal(SceneNoise.Value(7, 1, 2, 1000, -3), SceneNoise.Value(7, 1, 2, 1000, -3));
        var v = SceneNoise.Value(7, 1, 2, 10, 11);
        Assert.NotEqual(v, SceneNoise.Value(8, 1, 2, 10, 11));
        Assert.NotEqual(v, SceneNoise.Value(7, 2, 2, 10, 11));
        Assert.NotEqual(v, SceneNoise.Value(7, 1, 3, 10, 11));
        Assert.NotEqual(v, SceneNoise.Value(7, 1, 2, 11, 10));
    }

    [Fact]
    public void Noise_is_standard_normal()
    {
        var data = SceneNoise.Window(1, 0, 4, 0, 0, 128, 128);
        var t = tensor(data);
        Assert.InRange(t.mean().item<float>(), -0.02f, 0.02f);
        Assert.InRange(t.std().item<float>(), 0.98f, 1.02f);
        // Neighbours are uncorrelated.
        var grid = t.reshape(4, 128, 128);
        var corr = (grid[.., .., 1..] * grid[.., .., ..^1]).mean().item<float>();
        Assert.InRange(corr, -0.02f, 0.02f);
    }

    [Fact]
    public void Batched_tensor_holds_each_origin_window()
    {
        var t = SceneNoise.Tensor(9, 4, 4, [(0L, 0L), (3L, 5L)], 6, 7, CPU);
        var direct = SceneNoise.Window(9, 4, 4, 3, 5, 6, 7);
        Assert.Equal(direct, t[1].contiguous().data<float>().ToArray());
    }
}
