using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// How a GeoTIFF's pixels are cut and encoded: what a block's owner needs to encode its tiles (and their overview
/// tiles) itself, so that compression runs where the blocks are, in parallel, and the writer only places bytes.
/// Level 0 is the full resolution; levels 1… are the overviews (each half the previous, rounded up) when asked.
/// </summary>
public sealed record TileLayout(int Width, int Height, int Bands, RasterSampleType SampleType, OutputCompression Compression,
    int TileSize, bool Overviews, double? NoData)
{
    public static TileLayout Of(RasterInfo info, GeoTiffWriteOptions options) =>
        new(info.Width, info.Height, info.Bands, info.SampleType, options.Compression, options.TileSize, options.BuildOverviews, info.NoData);

    /// <summary>Tiles hold one band each (see <see cref="BandLayout"/>).</summary>
    public bool BandInterleaved => BandLayout.IsBandInterleaved(Bands);

    /// <summary>Sample planes per directory: the band count when band-interleaved, else 1.</summary>
    public int Planes => BandLayout.Planes(Bands);

    /// <summary>The tile grids of the levels stored: the full resolution, then the overviews if asked.</summary>
    internal IReadOnlyList<TileGrid> StoredLevels => storedLevels ??= Compute();

    /// <summary>The grid of level <paramref name="level"/> (0 = full resolution), stored or not: halving goes on past
    /// the stored levels for the writer's preview.</summary>
    internal TileGrid Level(int level)
    {
        var grid = new TileGrid(Width, Height, TileSize);
        for (var i = 0; i < level; i++) grid = grid with { Width = (grid.Width + 1) / 2, Height = (grid.Height + 1) / 2 };
        return grid;
    }

    IReadOnlyList<TileGrid>? storedLevels;

    IReadOnlyList<TileGrid> Compute()
    {
        var full = new TileGrid(Width, Height, TileSize);
        return Overviews ? [full, .. full.OverviewLevels()] : [full];
    }
}
