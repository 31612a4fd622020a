using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.TestSupport;

/// <summary>Small float32 scenes written for a test: smooth values, and NaN where the test puts it.</summary>
public static class FloatScenes
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> scene of <paramref name="bands"/> float32 bands (values
    /// 0.1–0.9, no nodata declared) with NaN in every band at the given pixels.</summary>
    public static string WithNaN(string path, int width, int height, int bands, params (int X, int Y)[] nanPixels)
    {
        var info = new RasterInfo { Width = width, Height = height, Bands = bands, SampleType = RasterSampleType.Float32 };
        var block = new RasterBlock(new PixelWindow(0, 0, width, height), bands);
        for (var b = 0; b < bands; b++)
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                    block[b, x, y] = 0.5f + 0.4f * MathF.Sin(0.21f * x + 0.13f * y + b);
        foreach (var (x, y) in nanPixels)
            for (var b = 0; b < bands; b++) block[b, x, y] = float.NaN;
        using var writer = GeoTiffWriter.Create(path, info);
        writer.Write(block);
        writer.Commit();
        return path;
    }

    /// <summary>Every pixel of a scene, all bands.</summary>
    public static RasterBlock ReadAll(string path)
    {
        using var reader = GeoTiffReader.Open(path);
        return reader.Read(new PixelWindow(0, 0, reader.Info.Width, reader.Info.Height));
    }

    /// <summary>The output pixels whose centre falls in LR pixel (x, y) at this scale: its footprint.</summary>
    public static IEnumerable<(int X, int Y)> Footprint(int x, int y, double scale, int outWidth, int outHeight) =>
        from oy in Enumerable.Range(0, outHeight)
        from ox in Enumerable.Range(0, outWidth)
        where (int)Math.Floor((ox + 0.5) / scale) == x && (int)Math.Floor((oy + 0.5) / scale) == y
        select (ox, oy);
}
