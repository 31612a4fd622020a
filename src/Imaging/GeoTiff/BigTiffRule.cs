using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Decides BigTIFF from the uncompressed size, before any pixel is written (a classic TIFF cannot grow past
/// 4 GiB, and compressed size is unknown up front).
/// </summary>
public static class BigTiffRule
{
    /// <summary>Largest classic TIFF file.</summary>
    public const long ClassicTiffLimit = uint.MaxValue;

    /// <summary>
    /// Worst-case growth of incompressible data: LZW can emit up to 12 bits per byte (deflate stays near 1.0),
    /// plus room for tile tables and tags.
    /// </summary>
    public const double Margin = 1.5;

    /// <summary>Bytes of all tiles uncompressed (edge tiles are stored whole), overview levels included if asked.</summary>
    public static long UncompressedBytes(RasterInfo info, int tileSize, bool withOverviews)
    {
        var grid = new TileGrid(info.Width, info.Height, tileSize);
        var tiles = (long)grid.Count;
        if (withOverviews) tiles += grid.OverviewLevels().Sum(level => (long)level.Count);
        return tiles * tileSize * tileSize * info.Bands * info.SampleType.BytesPerSample();
    }

    /// <summary>True when the output could exceed a classic TIFF's 4 GiB.</summary>
    public static bool IsNeeded(RasterInfo info, int tileSize, bool withOverviews) =>
        UncompressedBytes(info, tileSize, withOverviews) * Margin > ClassicTiffLimit;
}
