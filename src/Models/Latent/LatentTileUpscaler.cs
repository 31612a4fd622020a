using Pipeline.Models.Weights;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using Pipeline.Models.Inference;
using static TorchSharp.torch;

namespace Pipeline.Models.Latent;

/// <summary><see cref="TorchTileUpscaler"/> over a <see cref="SuperResolver"/> (E²DiffSR, LCMSR and the deterministic
/// path): HR windows aligned to the latent factor (8), so latent grids and noise are crops of the scene's. Runs as
/// <c>sampler-config</c> (deterministic-small), which is also the name of the shipped weights file each sampler uses;
/// jobs may ask for it by that name or by its configuration's.</summary>
public sealed class LatentTileUpscaler : TorchTileUpscaler
{
    readonly SuperResolver resolver;
    readonly SamplerKind sampler;
    readonly bool ownsResolver;

    /// <exception cref="ArgumentException">The options name a sampler that is not a latent one.</exception>
    public LatentTileUpscaler(SuperResolver resolver, TileUpscalerOptions? options = null, bool ownsResolver = false) : base(options)
    {
        this.resolver = resolver;
        this.ownsResolver = ownsResolver;
        sampler = LatentSampling.Parse(Options.SamplingOrDefault.Sampler);
    }

    public static LatentTileUpscaler Load(string weightsPath, TileUpscalerOptions? options = null, Device? device = null) =>
        new(SuperResolver.Load(weightsPath, device), options, ownsResolver: true) { WeightsSha256 = WeightsDigest.Of(weightsPath) };

    protected override string ModelName => RunningName(sampler, resolver.Config.Name);

    /// <summary>Every sampler but the deterministic one starts from noise.</summary>
    public override bool Stochastic => sampler != SamplerKind.Deterministic;

    public override double? FixedScale => resolver.Config.Decoder.FixedScale > 0 ? resolver.Config.Decoder.FixedScale : null;

    /// <summary>What a latent model runs as, e.g. deterministic-small: its sampler and configuration.</summary>
    public static string RunningName(SamplerKind sampler, string config) => $"{LatentSampling.NameOf(sampler)}-{config}";

    /// <summary>By its full name or its configuration's (small).</summary>
    protected override bool Answers(string requested) =>
        requested == ModelName || ModelName.EndsWith("-" + requested, StringComparison.Ordinal);

    public override int HrAlignment => resolver.Config.DownFactor;

    /// <summary>Tiles of at most 1296² HR pixels (and 648² LR, the CSUM's ×2 level being twice the LR size): two per
    /// axis cover the 512² sample at ×4 with 14.6 % overlap overcompute, and the real scenes of shared/data at ×2 take
    /// 0–12 %; a full-size tile peaks at ~0.6 GiB of model memory.</summary>
    public override int PreferredTileSize(double scale) => Math.Max(64, (int)Math.Min(PreferredHrSide / 2, PreferredHrSide / scale));

    /// <summary>At most 1792² HR pixels (and 896² LR): the largest tile's run stays well under 2 GiB (2048² tiles
    /// peaked at 1.94 GiB for the whole process at ×4; the CondNet's first level holds two 32-channel HR maps).</summary>
    public override int MaxTileSize(double scale) => Math.Max(64, (int)Math.Min(LargestHrSide / 2, LargestHrSide / scale));

    const int PreferredHrSide = 1296;
    const int LargestHrSide = 1792;

    protected override Tensor Run(Tensor lr, TileGeometry geometry, SamplingOptions sampling) =>
        resolver.Upscale(lr, geometry, new LatentSampling(sampler, sampling.Seed, sampling.Temperature));

    public override void Dispose()
    {
        if (ownsResolver) resolver.Dispose();
    }
}
