namespace Pipeline.Imaging.Rasters;

/// <summary>Windowed reads of a scene as float32 <see cref="RasterBlock"/>s: a TIFF through LibTiff.NET
/// (<see cref="GeoTiff.GeoTiffReader"/>) or anything GDAL opens (<see cref="GdalIO.GdalReader"/>). Open one with
/// <see cref="RasterReaders.Open"/>. Safe to share between threads.</summary>
public interface IRasterReader : IDisposable
{
    /// <summary>What was opened: a file, a folder (Sentinel-2 SAFE) or a GDAL path such as /vsicurl/https://….</summary>
    string Path { get; }

    /// <summary>Size, bands, sample type, georeferencing, nodata and metadata of the image.</summary>
    RasterInfo Info { get; }

    /// <summary>Reads all bands of <paramref name="window"/> (which must lie inside the image).</summary>
    RasterBlock Read(PixelWindow window);

    /// <summary>Which pixels of <paramref name="window"/> hold data: one byte per pixel, row-major, 1 = valid, 0 = invalid.
    /// Null when every pixel is valid. Pass the window's <paramref name="pixels"/> if already read.</summary>
    byte[]? ReadValidity(PixelWindow window, RasterBlock? pixels = null);
}
