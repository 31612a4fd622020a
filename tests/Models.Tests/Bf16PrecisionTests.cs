using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;

namespace Pipeline.Models.Tests;

/// <summary><c>--precision bf16</c>: the shipped models' convolutions in bfloat16, everything else in float32.</summary>
public class Bf16PrecisionTests
{
    /// <summary>A smooth scene with edges (a real model's output on noise says little about precision).</summary>
    static RasterBlock Scene(int size)
    {
        var block = new RasterBlock(new PixelWindow(0, 0, size, size), 3);
        for (var band = 0; band < 3; band++)
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                    block.Band(band)[y * size + x] = (float)Math.Round(128 + 60 * Math.Sin((x + 3 * band) / 3.0) * Math.Cos(y / 5.0) + (x > size / 2 ? 40 : -40));
        return block;
    }

    static ITileUpscaler Shipped(string model, TorchPrecision precision, int steps = 0) =>
        ModelCatalog.Resolve(model, new SamplingOptions(Seed: 3, Steps: steps), precision: precision);

    [Theory]
    [InlineData("deterministic-small", 0)]
    [InlineData("idm-small", 2)]
    public void Bf16_runs_the_same_model_to_within_a_few_levels_of_fp32_and_is_named_for_it(string model, int steps)
    {
        var lr = Scene(24);
        var window = new PixelWindow(0, 0, 48, 48);
        using var fp32 = (TorchTileUpscaler)Shipped(model, TorchPrecision.Fp32, steps);
        using var bf16 = (TorchTileUpscaler)Shipped(model, TorchPrecision.Bf16, steps);
        Assert.Equal(model, fp32.Name);
        Assert.Equal(model + "@bf16", bf16.Name);
        Assert.True(bf16.Serves(model) && bf16.Serves(model + "@bf16") && bf16.Serves(""));
        Assert.False(fp32.Serves(model + "@bf16"));

        var full = fp32.Upscale(lr, 2, window).Data;
        var reduced = bf16.Upscale(lr, 2, window).Data;
        var differences = full.Zip(reduced, (a, b) => Math.Abs(a - b)).ToArray();
        // bfloat16 keeps 8 bits of mantissa: outputs move by a level or two (IDM's sampler carries the differences from
        // step to step), not by tens of levels.
        Assert.True(differences.Max() > 0, "bf16 gave fp32's bits: the convolutions did not change precision");
        Assert.True(differences.Average() < 4.0, $"mean |bf16 − fp32| = {differences.Average():F2} levels of 255");
    }

    [Fact]
    public void Bf16_outputs_are_bit_reproducible_across_instances_and_threads()
    {
        var lr = Scene(20);
        var window = new PixelWindow(8, 8, 24, 24);
        using var first = (TorchTileUpscaler)Shipped("deterministic-small", TorchPrecision.Bf16);
        using var second = (TorchTileUpscaler)Shipped("deterministic-small", TorchPrecision.Bf16);
        var reference = first.Upscale(lr, 2, window).Data;
        var results = new float[3][];
        Parallel.For(0, 3, i => results[i] = (i == 0 ? second : first).Upscale(lr, 2, window).Data);
        Assert.All(results, r => Assert.Equal(reference, r));
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("")]
    public void Other_precisions_are_refused_in_one_line(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => TorchPrecisions.Parse(text));
        Assert.Contains("expected fp32 or bf16", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
