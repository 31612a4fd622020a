using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging;

/// <summary>
/// Measures a scene's <see cref="ValueRange"/>: 0..255 for 8-bit data; otherwise the 0.1st/99.9th percentiles of a
/// sparse grid of windows read from the scene (12-bit, reflectance ×10⁴ and full-range 16-bit products all occur,
/// and the type alone does not say which).
/// </summary>
public static class SceneLevels
{
    const int SampleWindows = 8;
    const int WindowSize = 64;

    public static ValueRange Of(string path)
    {
        using var reader = RasterReaders.Open(path);
        return Of(reader);
    }

    public static ValueRange Of(IRasterReader reader)
    {
        var info = reader.Info;
        if (info.SampleType == RasterSampleType.Byte) return ValueRange.UInt8;

        var values = new List<float>();
        foreach (var window in GridWindows(info.Width, info.Height))
        {
            var block = reader.Read(window);
            var validity = reader.ReadValidity(window, block);
            var pixels = window.Width * window.Height;
            for (var i = 0; i < block.Data.Length; i++)
                if ((validity is null || validity[i % pixels] != 0) && float.IsFinite(block.Data[i])) values.Add(block.Data[i]);
        }
        if (values.Count == 0) return new ValueRange(0, 1);
        values.Sort();
        var low = values[(int)(0.001 * (values.Count - 1))];
        var high = values[(int)(0.999 * (values.Count - 1))];
        var black = Math.Min(0, low);
        return new ValueRange(black, Math.Max(high, black + 1));
    }

    static IEnumerable<PixelWindow> GridWindows(int width, int height)
    {
        var w = Math.Min(WindowSize, width);
        var h = Math.Min(WindowSize, height);
        for (var gy = 0; gy < SampleWindows; gy++)
            for (var gx = 0; gx < SampleWindows; gx++)
                // In long: a hostile VRT may declare 2³¹ − 1 pixels across, and the int product would wrap negative.
                yield return new PixelWindow((int)((long)(width - w) * gx / (SampleWindows - 1)), (int)((long)(height - h) * gy / (SampleWindows - 1)), w, h);
    }
}
