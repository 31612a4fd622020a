using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>How <see cref="GeoTiffWriter"/> lays out its output.</summary>
public sealed record GeoTiffWriteOptions
{
    /// <summary>Width and height of the square TIFF tiles; a multiple of 16 (TIFF's rule), typically 256 or 512.</summary>
    public int TileSize { get; init; } = 256;

    public OutputCompression Compression { get; init; } = OutputCompression.Deflate;

    /// <summary>Add internal overviews (2×, 4×, … averaged), so that viewers open the result fast. Either way the file is
    /// laid out as a Cloud-Optimized GeoTIFF (directories first); without overviews GDAL's validator warns that a large
    /// one should have them.</summary>
    public bool BuildOverviews { get; init; } = true;

    /// <summary>Write BigTIFF even when <see cref="BigTiffRule"/> says classic TIFF is enough.</summary>
    public bool ForceBigTiff { get; init; }
}
