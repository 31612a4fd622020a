using Pipeline.Models.Layers;
using static TorchSharp.torch;

namespace Pipeline.Models.Diffusion;

/// <summary>Conditioning shared by every UNet call of one sample.</summary>
/// <param name="Condition">CondNet output c, [B, 4, h, w].</param>
/// <param name="Scale">[B] real scales.</param>
/// <param name="Osize">[B] output-size values fed to the osize embedding.</param>
public sealed record UNetConditioning(Tensor Condition, Tensor Scale, Tensor Osize);

/// <summary>The latent samplers. They are used with gradients by training (unrolled E²DiffSR, consistency function)
/// and under no_grad by inference; noise comes from a callback so both <see cref="SceneNoise"/> and a seeded
/// generator can be used.</summary>
public static class LatentSamplers
{
    /// <summary>
    /// E²DiffSR's ancestral sampler (ε-prediction, clip_denoised = false): from x_{T−1} take T steps
    /// x_{t−1} = c₁(t)·x̂₀ + c₂(t)·x_t + temperature·σ_t·n_t (no noise at t = 0); returns the final x̂₀ estimate
    /// (which equals x_{−1}). <paramref name="stepNoise"/>(t) gives n_t for t ≥ 1.
    /// </summary>
    public static Tensor AncestralE2DiffSR(
        LatentUNet unet, DiffusionSchedule schedule, Tensor xStart, UNetConditioning cond, Func<int, Tensor> stepNoise,
        double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        var batch = xStart.shape[0];
        var x = xStart;
        for (var t = schedule.Steps - 1; t >= 0; t--)
        {
            var timesteps = full([batch], t, dtype: ScalarType.Float32, device: x.device);
            var eps = unet.forward(cat([x, cond.Condition], 1), timesteps, cond.Scale, cond.Osize);
            var x0 = (x - eps * schedule.SqrtOneMinusAlphaCumprod(t)) / schedule.SqrtAlphaCumprod(t);
            var mean = x0 * schedule.PosteriorCoefX0[t] + x * schedule.PosteriorCoefXt[t];
            x = t > 0 && temperature != 0
                ? mean + stepNoise(t) * (Math.Sqrt(schedule.PosteriorVariance[t]) * temperature)
                : mean;
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>LCMSR's consistency function f(x_t, t) with per-sample timesteps.</summary>
    public static Tensor ConsistencyFunction(LatentUNet unet, int steps, Tensor x, int[] timesteps, UNetConditioning cond)
    {
        using var scope = NewDisposeScope();
        var device = x.device;
        var shape = new long[] { timesteps.Length, 1, 1, 1 };
        var cSkip = tensor(timesteps.Select(t => (float)ConsistencyParameterization.CSkip(t, steps)).ToArray(), device: device).reshape(shape);
        var cOut = tensor(timesteps.Select(t => (float)ConsistencyParameterization.COut(t, steps)).ToArray(), device: device).reshape(shape);
        var tt = tensor(timesteps.Select(t => (float)t).ToArray(), device: device);
        var f = unet.forward(cat([x, cond.Condition], 1), tt, cond.Scale, cond.Osize);
        return (x * cSkip + f * cOut).MoveToOuterDisposeScope();
    }

    /// <summary>q(x_t | x₀) = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε with per-sample timesteps.</summary>
    public static Tensor QSample(DiffusionSchedule schedule, Tensor x0, int[] timesteps, Tensor noise)
    {
        using var scope = NewDisposeScope();
        var shape = new long[] { timesteps.Length, 1, 1, 1 };
        var a = tensor(timesteps.Select(t => (float)schedule.SqrtAlphaCumprod(t)).ToArray(), device: x0.device).reshape(shape);
        var b = tensor(timesteps.Select(t => (float)schedule.SqrtOneMinusAlphaCumprod(t)).ToArray(), device: x0.device).reshape(shape);
        return (x0 * a + noise * b).MoveToOuterDisposeScope();
    }
}
