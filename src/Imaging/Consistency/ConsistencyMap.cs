using System.Globalization;
using System.Security;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// Where a scene's output disagrees with its input: a small float32 COG on the input's grid coarsened to cells of
/// <see cref="CellSize"/> LR pixels (1 up to 1024 px a side), in the input's CRS so that it overlays the mosaic.
/// Band 1: the mean per-pixel inconsistency of the cell (percent of the black–white range, mean over bands); band 2:
/// 1 where that is over the threshold, else 0. NaN where nothing was measured (nodata, or a cell of edge pixels).
/// </summary>
public sealed class ConsistencyMap
{
    /// <summary>The largest map side in cells.</summary>
    public const int MaxSide = 1024;

    readonly double[] error;
    readonly long[] pixels;

    public ConsistencyMap(int sceneWidth, int sceneHeight)
    {
        CellSize = CellSizeFor(sceneWidth, sceneHeight);
        Width = (sceneWidth + CellSize - 1) / CellSize;
        Height = (sceneHeight + CellSize - 1) / CellSize;
        error = new double[(long)Width * Height];
        pixels = new long[error.Length];
    }

    public static int CellSizeFor(int sceneWidth, int sceneHeight) => Math.Max(1, (Math.Max(sceneWidth, sceneHeight) + MaxSide - 1) / MaxSide);

    public int CellSize { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Adds a tile's cells; add tiles in index order for a bit-reproducible map.</summary>
    public void Add(ConsistencySums sums)
    {
        var cells = sums.Cells;
        for (var y = 0; y < cells.Height; y++)
            for (var x = 0; x < cells.Width; x++)
            {
                var k = y * cells.Width + x;
                if (sums.CellPixels[k] == 0) continue;
                var i = (cells.Y + y) * Width + cells.X + x;
                error[i] += sums.CellError[k];
                pixels[i] += sums.CellPixels[k];
            }
    }

    /// <summary>Cells measured, and how many of them are over <paramref name="threshold"/>.</summary>
    public (long Measured, long Flagged) Count(double threshold)
    {
        long measured = 0, flagged = 0;
        for (var i = 0; i < error.Length; i++)
        {
            if (pixels[i] == 0) continue;
            measured++;
            if (error[i] / pixels[i] > threshold) flagged++;
        }
        return (measured, flagged);
    }

    /// <summary>Writes the map as a COG at <paramref name="path"/> (a temporary name renamed at the end).</summary>
    /// <param name="input">The scene's input, for its CRS and grid.</param>
    public void Write(string path, RasterInfo input, double threshold)
    {
        var block = new RasterBlock(new PixelWindow(0, 0, Width, Height), 2);
        var values = block.Band(0);
        var flags = block.Band(1);
        for (var i = 0; i < error.Length; i++)
        {
            if (pixels[i] == 0)
            {
                values[i] = flags[i] = float.NaN;
                continue;
            }
            values[i] = (float)(error[i] / pixels[i]);
            flags[i] = values[i] > threshold ? 1 : 0;
        }
        var info = new RasterInfo
        {
            Width = Width,
            Height = Height,
            Bands = 2,
            SampleType = RasterSampleType.Float32,
            NoData = double.NaN,
            Geo = input.Geo?.Scaled(1.0 / CellSize),
            GdalMetadataXml = Metadata(threshold),
        };
        // An attempt killed with its silo mid-write leaves a partial map that no job tracks: the next attempt clears it.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        foreach (var leftover in Directory.EnumerateFiles(folder, TemporaryNames.Pattern(path))) File.Delete(leftover);
        using var sink = GeoTiffWriter.Create(path, info, new GeoTiffWriteOptions { Compression = OutputCompression.Deflate, BuildOverviews = true });
        sink.Write(block);
        sink.Commit();
    }

    string Metadata(double threshold) => string.Create(CultureInfo.InvariantCulture,
        $"<GDALMetadata><Item name=\"SR_CONSISTENCY_CELL_LR_PIXELS\">{CellSize}</Item>" +
        $"<Item name=\"SR_CONSISTENCY_THRESHOLD_PERCENT\">{threshold:R}</Item>" +
        $"<Item name=\"DESCRIPTION\" sample=\"0\" role=\"description\">{SecurityElement.Escape("inconsistency (% of range)")}</Item>" +
        $"<Item name=\"DESCRIPTION\" sample=\"1\" role=\"description\">over threshold</Item></GDALMetadata>");
}
