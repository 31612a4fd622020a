using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using Pipeline.Models.Inference;
using Pipeline.Models.Stage2;
using Pipeline.Models.Weights;
using static TorchSharp.torch;

namespace Pipeline.Models.Latent;

/// <summary>
/// The inference API shared by E²DiffSR, LCMSR and the deterministic path: LR [B, 3, h, w] in [-1, 1] plus a
/// <see cref="TileGeometry"/> → SR [B, 3, H, W] in [-1, 1] on the geometry's HR grid. Runs under inference mode on
/// the model's device (any torch device). Noise is read from the scene-wide field at the geometry's latent origin, so
/// a tile's latent noise is the crop of the scene's.
/// Not thread-safe by itself (use one instance per thread, or <see cref="LatentTileUpscaler"/>, which serialises).
/// </summary>
public sealed class SuperResolver : IDisposable
{
    readonly DiffusionSchedule ddpm;
    readonly DiffusionSchedule consistency;

    public SuperResolver(SrModel model, Device? device = null, TorchPrecision precision = TorchPrecision.Fp32)
    {
        Device = device ?? CPU;
        Model = model.to(Device);
        Model.eval();
        Bf16Convolutions.Apply(Model, precision);
        ddpm = new DiffusionSchedule(model.Config.DiffusionSteps, model.Config.BetaStart, model.Config.BetaEnd);
        consistency = new DiffusionSchedule(model.Config.ConsistencySteps, model.Config.ConsistencyBetaStart, model.Config.ConsistencyBetaEnd);
    }

    /// <summary>Loads an e2diffsr or lcmsr weights file.</summary>
    public static SuperResolver Load(string weightsPath, Device? device = null, SrConfig? expected = null, TorchPrecision precision = TorchPrecision.Fp32) =>
        new(ModelWeights.LoadSrModel(weightsPath, expected), device, precision);

    public SrModel Model { get; }
    public Device Device { get; }
    public SrConfig Config => Model.Config;

    /// <summary>The stochastic sampler this model was trained for.</summary>
    public SamplerKind NativeSampler => Model.Kind == SecondStageKind.E2DiffSR ? SamplerKind.E2DiffSR : SamplerKind.Lcmsr;

    /// <summary>Step index of the initial noise in the scene noise field (the per-step noises use 1..T−1).</summary>
    public int InitialNoiseStep(SamplerKind sampler) => sampler == SamplerKind.Lcmsr ? Config.ConsistencySteps : Config.DiffusionSteps;

    /// <param name="noise">The noise of step t (the initial latent at <see cref="InitialNoiseStep"/>) instead of the
    /// scene noise field: how a test feeds the reference code's noise.</param>
    public Tensor Upscale(Tensor lr, TileGeometry geometry, LatentSampling options, Func<int, Tensor>? noise = null)
    {
        geometry.Validate();
        if (options.Sampler != SamplerKind.Deterministic && options.Sampler != NativeSampler)
            throw new InvalidOperationException(
                $"sampler '{options.Sampler}' needs {options.Sampler} weights; this model was trained as {Model.Kind} (use '{NativeSampler}' or 'Deterministic')");
        using var mode = inference_mode();
        using var scope = NewDisposeScope();
        var input = lr.to_type(ScalarType.Float32).to(Device);
        // Work on an HR grid grown to whole latent cells, so that every HR pixel has its latent cell; crop back.
        var work = geometry.AlignedToLatent();
        var latent = SampleLatent(input, work, options, noise);
        var z = latent / Model.ScaleFactor;
        var sr = Model.Decoder.forward(Model.PostQuantConv.call(z), input, work).clamp(-1, 1);
        if (work != geometry) sr = sr[.., .., ..geometry.HrHeight, ..geometry.HrWidth];
        return sr.MoveToOuterDisposeScope();
    }

    /// <summary>The x₀ latent (scaled, before decoding) for the chosen sampler.</summary>
    public Tensor SampleLatent(Tensor lr, TileGeometry geometry, LatentSampling options, Func<int, Tensor>? noise = null)
    {
        using var scope = NewDisposeScope();
        var batch = lr.shape[0];
        var lrUp = Resampler.Resize(lr, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic);
        var c = Model.CondNet.call(lrUp);
        if (options.Sampler == SamplerKind.Deterministic) return c.MoveToOuterDisposeScope();

        var (h, w) = ((int)c.shape[2], (int)c.shape[3]);
        var origins = Enumerable.Repeat(((long)geometry.LatentY, (long)geometry.LatentX), (int)batch).ToList();
        Tensor Noise(int step) => noise?.Invoke(step).to(Device) ?? SceneNoise.Tensor(options.Seed, step, Config.LatentChannels, origins, h, w, Device);
        var cond = new UNetConditioning(
            c,
            full([batch], (float)geometry.Scale, device: Device),
            full([batch], (float)Config.OsizeConstant, device: Device));
        var xStart = Noise(InitialNoiseStep(options.Sampler));
        var x0 = options.Sampler == SamplerKind.E2DiffSR
            ? LatentSamplers.AncestralE2DiffSR(Model.UNet, ddpm, xStart, cond, Noise, options.Temperature)
            : LatentSamplers.ConsistencyFunction(Model.UNet, consistency.Steps, xStart,
                Enumerable.Repeat(consistency.Steps - 1, (int)batch).ToArray(), cond);
        return x0.MoveToOuterDisposeScope();
    }

    public void Dispose() => Model.Dispose();
}
