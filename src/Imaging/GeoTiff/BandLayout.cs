namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// How the writer interleaves bands. Up to <see cref="MaxPixelInterleavedBands"/> bands are pixel-interleaved
/// (GDAL's default, what viewers expect of RGB and multispectral scenes); more are band-interleaved (TIFF's
/// separate planes), as hyperspectral users read band subsets, and so that a tile stays one band whatever the band
/// count: blocks can then be written a band group at a time, in pieces that fit a message.
/// </summary>
public static class BandLayout
{
    public const int MaxPixelInterleavedBands = 16;

    public static bool IsBandInterleaved(int bands) => bands > MaxPixelInterleavedBands;

    /// <summary>Sample planes of a TIFF directory: the band count when band-interleaved, else 1.</summary>
    public static int Planes(int bands) => IsBandInterleaved(bands) ? bands : 1;
}
