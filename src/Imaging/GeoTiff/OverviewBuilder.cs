using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Appends internal overviews (reduced-resolution directories, 2×, 4×, …) to a file whose full-resolution
/// directory is already written. Each level is made from the previous one, re-read from the file through a
/// second handle one 2×2-tile window at a time, so memory stays at a few tiles whatever the image size.
/// Each output pixel is the average of its 2×2 source pixels, nodata samples left out.
/// </summary>
internal static class OverviewBuilder
{
    public static void Build(Tiff writer, Stream writerStream, string path, RasterInfo info, TileGrid fullResolution, OutputCompression compression)
    {
        var encoder = new TileEncoder(info.SampleType, info.Bands, fullResolution.TileSize, compression);
        var bandInterleaved = BandLayout.IsBandInterleaved(info.Bands);
        var source = fullResolution;
        short sourceDirectory = 0;
        foreach (var level in fullResolution.OverviewLevels())
        {
            // The reading handle must see the directory just written, so it reopens the file for every level.
            writerStream.Flush();
            using (var reading = TiffOpener.OpenForReading(path))
            {
                if (!reading.SetDirectory(sourceDirectory)) throw new IOException($"{path}: cannot re-read level {sourceDirectory}");
                var sourceReader = new DirectoryReader(reading, path, source.Width, source.Height, info.Bands, info.SampleType, bandInterleaved);
                TiffDirectoryLayout.Apply(writer, info, level, compression, isOverview: true);
                for (var row = 0; row < level.Down; row++)
                {
                    for (var column = 0; column < level.Across; column++)
                    {
                        var tile = level.Window(column, row);
                        var sourceWindow = new PixelWindow(tile.X * 2, tile.Y * 2,
                            Math.Min(tile.Width * 2, source.Width - tile.X * 2), Math.Min(tile.Height * 2, source.Height - tile.Y * 2));
                        var index = level.IndexOf(column, row);
                        if (!bandInterleaved)
                        {
                            encoder.Encode(writer, path, index, tile, Halve(sourceReader.Read(sourceWindow), tile, info.NoData));
                            continue;
                        }
                        // One band at a time, so memory does not grow with the band count.
                        for (var band = 0; band < info.Bands; band++)
                            encoder.Encode(writer, path, band * level.Count + index, tile,
                                Halve(sourceReader.ReadBands(sourceWindow, band, 1), tile, info.NoData));
                    }
                }
            }
            LibTiffRuntime.ClearError();
            if (!writer.WriteDirectory()) throw new IOException($"{path}: cannot write overview directory: {LibTiffRuntime.LastError("write failed")}");
            source = level;
            sourceDirectory++;
        }
    }

    /// <summary>Averages 2×2 pixels of <paramref name="source"/> into each pixel of <paramref name="target"/>.</summary>
    static RasterBlock Halve(RasterBlock source, PixelWindow target, double? noData)
    {
        var result = new RasterBlock(target, source.Bands);
        var skip = noData.HasValue;
        var noDataValue = (float)(noData ?? 0);
        bool IsNoData(float value) => skip && (value == noDataValue || (float.IsNaN(noDataValue) && float.IsNaN(value)));

        for (var band = 0; band < source.Bands; band++)
        {
            var from = source.Band(band);
            var to = result.Band(band);
            for (var y = 0; y < target.Height; y++)
            {
                // At an odd edge the last pixel pairs with itself, which leaves the average unchanged.
                var top = 2 * y * source.Width;
                var bottom = Math.Min(2 * y + 1, source.Height - 1) * source.Width;
                for (var x = 0; x < target.Width; x++)
                {
                    var left = 2 * x;
                    var right = Math.Min(2 * x + 1, source.Width - 1);
                    float sum = 0;
                    var count = 0;
                    foreach (var value in (ReadOnlySpan<float>)[from[top + left], from[top + right], from[bottom + left], from[bottom + right]])
                    {
                        if (IsNoData(value)) continue;
                        sum += value;
                        count++;
                    }
                    to[y * target.Width + x] = count == 0 ? noDataValue : sum / count;
                }
            }
        }
        return result;
    }
}
