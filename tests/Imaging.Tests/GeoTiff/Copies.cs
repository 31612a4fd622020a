using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

/// <summary>Writes rasters through <see cref="GeoTiffWriter"/> the way the pipeline does: tile-aligned blocks.</summary>
internal static class Copies
{
    /// <summary>
    /// Copies <paramref name="source"/> at scale 1 in blocks of <paramref name="blockTiles"/>×<paramref name="blockTiles"/>
    /// tiles, in row-major order or shuffled by <paramref name="shuffleSeed"/>.
    /// </summary>
    public static string Copy(string source, string target, GeoTiffWriteOptions? options = null, int blockTiles = 2, int? shuffleSeed = null)
    {
        using var reader = GeoTiffReader.Open(source);
        using var writer = GeoTiffWriter.Create(target, reader.Info, options);
        foreach (var window in Blocks(reader.Info, writer.TileSize * blockTiles, shuffleSeed))
            writer.Write(reader.Read(window));
        writer.Commit();
        return target;
    }

    /// <summary>Writes <paramref name="info"/> with every sample set by <paramref name="value"/>(band, x, y).</summary>
    public static string Generate(RasterInfo info, string target, Func<int, int, int, float> value, GeoTiffWriteOptions? options = null)
    {
        using var writer = GeoTiffWriter.Create(target, info, options);
        foreach (var window in Blocks(info, writer.TileSize, null))
        {
            var block = new RasterBlock(window, info.Bands);
            for (var band = 0; band < info.Bands; band++)
                for (var y = 0; y < window.Height; y++)
                    for (var x = 0; x < window.Width; x++)
                        block[band, x, y] = value(band, window.X + x, window.Y + y);
            writer.Write(block);
        }
        writer.Commit();
        return target;
    }

    public static IEnumerable<PixelWindow> Blocks(RasterInfo info, int blockSize, int? shuffleSeed)
    {
        var blocks = new List<PixelWindow>();
        for (var y = 0; y < info.Height; y += blockSize)
            for (var x = 0; x < info.Width; x += blockSize)
                blocks.Add(new PixelWindow(x, y, Math.Min(blockSize, info.Width - x), Math.Min(blockSize, info.Height - y)));
        if (shuffleSeed is { } seed) new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(blocks));
        return blocks;
    }
}
