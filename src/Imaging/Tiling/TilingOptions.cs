using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tiling;

/// <summary>
/// How a scene is cut into tiles and how the HR mosaic is cut into output blocks.
/// </summary>
/// <param name="TileSize">LR tile side in pixels. 128 is the input size of LDSR-S2-class models and of
/// opensr-utils' windows; a snapped last row or column may be up to one lattice step larger.</param>
/// <param name="Overlap">Minimum LR overlap between neighbouring tiles. 16 leaves room for an edge margin of a few
/// LR pixels plus a blend ramp at every scale, for about 31% overcompute at 128 (peers use 10–78%).
/// The effective overlap can be larger because strides are rounded down to the tile-start lattice.</param>
/// <param name="BlockSize">Side of the square HR output blocks that stitching grains own and the writer writes;
/// a multiple of <see cref="WriterTileSize"/>. 512 matches the COG block size peers use.</param>
/// <param name="SwathBlocks">Width, in blocks, of the vertical swaths tiles are processed in (0 = at least 4096 HR
/// pixels, see <see cref="TilePlan.SwathBlocks"/>). Open blocks, and so stitching memory, scale with it instead of
/// with the scene's width.</param>
/// <param name="HardSeams">Cut each overlap at its middle instead of ramping across it: for an upscaler whose tiles are
/// exact crops (<see cref="ITileUpscaler.ExactCrops"/>), every output pixel is then one tile's value, exactly the whole
/// image's, whatever the tiling (a ramp's weights add up to one only to within rounding).</param>
public sealed record TilingOptions(int TileSize = 128, int Overlap = 16, int BlockSize = 512, int SwathBlocks = 0, bool HardSeams = false)
{
    /// <summary>Internal tile size of the GeoTIFF writer; output blocks must be made of whole writer tiles.</summary>
    public const int WriterTileSize = 256;

    /// <summary>The user's values where given; otherwise the upscaler's preferred tile size at <paramref name="scale"/> and
    /// an overlap that leaves a 4-px blend ramp between its edge margins on both sides of a seam.</summary>
    /// <exception cref="ArgumentException">The upscaler does not run this scale, or the tile is larger than it can run at it.</exception>
    public static TilingOptions For(ITileUpscaler upscaler, double scale, int? tileSize = null, int? overlap = null, int? blockSize = null)
    {
        if (upscaler.FixedScale is { } only && scale != only)
            throw new ArgumentException($"the {upscaler.Name} model upscales ×{only:R} only (a fixed-scale decoder), not ×{scale:R}");
        var defaults = new TilingOptions();
        var tile = tileSize ?? upscaler.PreferredTileSize(scale);
        var largest = upscaler.MaxTileSize(scale);
        if (tile > largest)
            throw new ArgumentException(
                $"tile {tile} LR px is more than the {upscaler.Name} model can run at scale {scale:R} within its memory budget; " +
                $"use --tile {largest} or less");
        // The default overlap, but no more than a quarter of a small tile (high scales) and never less than the edge
        // margins on both sides of a seam plus a 4-px ramp. Exact crops blend identical values: the margins and the
        // narrowest ramp the plan allows are enough (bicubic at ×2: 5 LR px, 8 % overcompute instead of 35 %).
        var minimum = 2 * upscaler.EdgeMargin + 4;
        var rational = RationalScale.FromDouble(scale);
        var exact = (int)rational.LrCeiling(2 * rational.HrCeiling(upscaler.EdgeMargin) + 1);
        var chosen = upscaler.ExactCrops ? Math.Min(exact, tile - 1) : Math.Max(minimum, Math.Min(defaults.Overlap, tile / 4));
        return new TilingOptions(tile, overlap ?? chosen, blockSize ?? defaults.BlockSize, HardSeams: upscaler.ExactCrops);
    }

    /// <summary>Bytes the open blocks of a swath may take (two block rows of it are open at a time).</summary>
    public const long StitchingBudget = 512L << 20;

    /// <summary>
    /// These options for a scene of <paramref name="bands"/> bands: an automatic swath narrows from its usual
    /// 4096 HR pixels to what keeps two rows of open blocks (float32 sums plus a weight plane each) within
    /// <see cref="StitchingBudget"/>, so stitching memory does not grow with the band count (one 512² block of 200
    /// bands is 210 MB). Scenes of up to about 30 bands keep the usual swath.
    /// </summary>
    public TilingOptions ForBands(int bands)
    {
        if (SwathBlocks > 0) return this;
        var blockBytes = (long)BlockSize * BlockSize * (bands + 1) * sizeof(float);
        var affordable = (int)Math.Clamp(StitchingBudget / (2 * blockBytes), 1, int.MaxValue);
        return affordable * BlockSize < TilePlan.AutoSwathWidth ? this with { SwathBlocks = affordable } : this;
    }

    internal void Validate()
    {
        if (SwathBlocks < 0)
            throw new ArgumentOutOfRangeException(nameof(SwathBlocks), SwathBlocks, "swath width must be 0 (automatic) or a number of blocks");
        if (TileSize < 1)
            throw new ArgumentOutOfRangeException(nameof(TileSize), TileSize, "tile size must be at least 1 LR pixel");
        if (Overlap < 0 || Overlap >= TileSize)
            throw new ArgumentOutOfRangeException(nameof(Overlap), Overlap, $"overlap must be in [0, tile size {TileSize})");
        if (BlockSize < WriterTileSize || BlockSize % WriterTileSize != 0)
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize,
                $"block size must be a positive multiple of the GeoTIFF writer's {WriterTileSize}-pixel tiles");
    }
}
