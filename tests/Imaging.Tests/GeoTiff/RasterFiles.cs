using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

/// <summary>Whole-image helpers for tests, built from windowed reads.</summary>
internal static class RasterFiles
{
    /// <summary>The whole image, read in windows of <paramref name="step"/>×<paramref name="step"/> (not aligned to anything).</summary>
    public static float[] ReadAll(IRasterReader reader, int step = 300)
    {
        var info = reader.Info;
        var all = new float[(long)info.Bands * info.Width * info.Height];
        for (var y = 0; y < info.Height; y += step)
        {
            for (var x = 0; x < info.Width; x += step)
            {
                var block = reader.Read(new PixelWindow(x, y, Math.Min(step, info.Width - x), Math.Min(step, info.Height - y)));
                Paste(block, all, info.Width, info.Height);
            }
        }
        return all;
    }

    public static float[] ReadAll(string path)
    {
        using var reader = GeoTiffReader.Open(path);
        return ReadAll(reader);
    }

    public static void Paste(RasterBlock block, float[] image, int width, int height)
    {
        for (var band = 0; band < block.Bands; band++)
            for (var y = 0; y < block.Height; y++)
                block.Band(band).Slice(y * block.Width, block.Width)
                    .CopyTo(image.AsSpan((band * height + block.Window.Y + y) * width + block.Window.X, block.Width));
    }

    /// <summary>The samples of <paramref name="window"/> cut out of a band-sequential whole image.</summary>
    public static float[] Crop(float[] image, int width, int height, int bands, PixelWindow window)
    {
        var crop = new RasterBlock(window, bands);
        for (var band = 0; band < bands; band++)
            for (var y = 0; y < window.Height; y++)
                image.AsSpan((band * height + window.Y + y) * width + window.X, window.Width)
                    .CopyTo(crop.Band(band).Slice(y * window.Width, window.Width));
        return crop.Data;
    }

    /// <summary>Random windows of every size class, some touching the right and bottom edges.</summary>
    public static IEnumerable<PixelWindow> RandomWindows(int width, int height, int count, int seed)
    {
        var random = new Random(seed);
        yield return new PixelWindow(width - 1, height - 1, 1, 1);
        yield return new PixelWindow(0, 0, width, height);
        for (var i = 0; i < count; i++)
        {
            var w = random.Next(1, Math.Min(width, 400) + 1);
            var h = random.Next(1, Math.Min(height, 400) + 1);
            var x = i % 3 == 0 ? width - w : random.Next(0, width - w + 1);
            var y = i % 4 == 0 ? height - h : random.Next(0, height - h + 1);
            yield return new PixelWindow(x, y, w, h);
        }
    }

    /// <summary>Index and values of the first difference, for a readable assertion message; null when equal.</summary>
    public static string? FirstDifference(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) return $"length {actual.Length}, expected {expected.Length}";
        for (var i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i])) return $"sample {i}: {actual[i]}, expected {expected[i]}";
        }
        return null;
    }
}
