using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Models.Inference;

/// <summary><see cref="TorchTileUpscaler"/> over a <see cref="SuperResolver"/> (E²DiffSR, LCMSR and the deterministic
/// path): HR windows aligned to the latent factor (8), so latent grids and noise are crops of the scene's.</summary>
public sealed class LatentTileUpscaler(SuperResolver resolver, TileUpscalerOptions? options = null, bool ownsResolver = false)
    : TorchTileUpscaler(options)
{
    public static LatentTileUpscaler Load(string weightsPath, TileUpscalerOptions? options = null, Device? device = null) =>
        new(SuperResolver.Load(weightsPath, device), options, ownsResolver: true);

    public override string Name => ModelCatalog.RunningName(Options.SamplingOrDefault.Sampler, resolver.Config.Name);

    public override bool Serves(string requested) => ModelCatalog.Serves(Name, requested);

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

    protected override Tensor Run(Tensor lr, TileGeometry geometry, SamplingOptions sampling) => resolver.Upscale(lr, geometry, sampling);

    public override void Dispose()
    {
        if (ownsResolver) resolver.Dispose();
    }
}
