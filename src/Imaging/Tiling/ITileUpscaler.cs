using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tiling;

/// <summary>
/// Super-resolves one LR tile. The output covers <paramref name="hrWindow"/> in global HR pixel
/// coordinates, where HR pixel X maps to LR coordinate (X + 0.5) / scale − 0.5 (pixel centres, the
/// align_corners=false convention of PyTorch and of the E²DiffSR reference code).
/// </summary>
public interface ITileUpscaler
{
    /// <summary>Short name for logs and reports (bicubic, deterministic-small, …): what jobs see it run as.</summary>
    string Name { get; }

    /// <summary>Whether a job asking for the model <paramref name="requested"/> (empty: whatever runs) may run on this
    /// one; a latent model also answers to its configuration's name (ModelCatalog.Serves).</summary>
    bool Serves(string requested) => requested.Length == 0 || requested == Name;

    /// <summary>SHA-256 (hex) of the weights file the model was loaded from, null for a model without one: a job
    /// records it and every worker compares, so that two files under one model name never meet in one mosaic.</summary>
    string? WeightsSha256 => null;

    /// <summary>The one scale a fixed-scale model runs (the reference's ×4 LCMSR decoder); null: any scale.</summary>
    double? FixedScale => null;

    /// <summary>LR pixels at a tile's edge whose output is unreliable (receptive field cut by the tile edge);
    /// the blender gives them no weight on interior sides.</summary>
    int EdgeMargin { get; }

    /// <summary>Whether a tile's output past its edge margin is exactly the whole image's (bicubic): tiles then need to
    /// overlap only by their margins and the one-pixel ramp the blender needs, not by a wide blend zone.</summary>
    bool ExactCrops => false;

    /// <summary>HR tile offsets must be multiples of this (a latent model working at HR/8 needs 8,
    /// so that every tile's latent grid is a crop of one scene-wide grid).</summary>
    int HrAlignment { get; }

    /// <summary>LR tile size this model runs best with at <paramref name="scale"/> when the user sets none: a model with a
    /// wide edge margin needs tiles large enough that the overlap the margin forces stays a small share of the work.</summary>
    int PreferredTileSize(double scale) => new Tiling.TilingOptions().TileSize;

    /// <summary>The largest LR tile this model can run at <paramref name="scale"/> within its memory budget; larger
    /// tiles are refused before a job starts.</summary>
    int MaxTileSize(double scale) => int.MaxValue;

    RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow);

    /// <summary>Whether the model maps values to a fixed range and so needs the scene's black and white levels.</summary>
    bool NeedsValueRange => false;

    /// <summary>Upscales with the scene's black and white levels (a job measures them once per scene and every tile
    /// carries them, so tiles agree on any silo). Models that do not depend on absolute values (bicubic) ignore them.</summary>
    RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow, ValueRange range) => Upscale(lrTile, scale, hrWindow);

    /// <summary>Whether outputs depend on a noise draw (a sampling diffusion model): only then can a job measure its
    /// uncertainty by drawing several outputs.</summary>
    bool Stochastic => false;

    /// <summary>The output of noise draw <paramref name="draw"/> (0: the model's own seed, the mosaic's output; each other
    /// draw a scene-wide noise field of its own, so tiles of a draw agree as those of draw 0 do).</summary>
    RasterBlock Upscale(RasterBlock lrTile, double scale, PixelWindow hrWindow, ValueRange range, int draw) =>
        draw == 0 ? Upscale(lrTile, scale, hrWindow, range) : throw new NotSupportedException($"the {Name} model draws no noise");
}
