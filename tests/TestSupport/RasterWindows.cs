using Pipeline.Imaging.Rasters;

namespace Pipeline.TestSupport;

/// <summary>Copies between rasters that share one pixel coordinate system.</summary>
public static class RasterWindows
{
    /// <summary>The pixels of <paramref name="window"/>, which must lie inside <paramref name="source"/>.</summary>
    public static RasterBlock Crop(RasterBlock source, PixelWindow window)
    {
        var crop = new RasterBlock(window, source.Bands);
        var (dx, dy) = (window.X - source.Window.X, window.Y - source.Window.Y);
        for (var band = 0; band < source.Bands; band++)
            for (var row = 0; row < window.Height; row++)
                source.Data.AsSpan(source.IndexOf(band, dx, dy + row), window.Width)
                    .CopyTo(crop.Data.AsSpan(crop.IndexOf(band, 0, row), window.Width));
        return crop;
    }

    /// <summary>Writes <paramref name="source"/> into <paramref name="target"/>, which must contain it.</summary>
    public static void Paste(RasterBlock source, RasterBlock target)
    {
        var (dx, dy) = (source.Window.X - target.Window.X, source.Window.Y - target.Window.Y);
        for (var band = 0; band < source.Bands; band++)
            for (var row = 0; row < source.Height; row++)
                source.Data.AsSpan(source.IndexOf(band, 0, row), source.Width)
                    .CopyTo(target.Data.AsSpan(target.IndexOf(band, dx, dy + row), source.Width));
    }

    /// <summary>The part of a row-major mask of width <paramref name="maskWidth"/> (origin 0, 0) under <paramref name="window"/>.</summary>
    public static byte[] Crop(byte[] mask, int maskWidth, PixelWindow window)
    {
        var crop = new byte[window.Area];
        for (var row = 0; row < window.Height; row++)
            mask.AsSpan((window.Y + row) * maskWidth + window.X, window.Width).CopyTo(crop.AsSpan(row * window.Width));
        return crop;
    }
}
