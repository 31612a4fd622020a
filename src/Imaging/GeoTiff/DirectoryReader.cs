using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>Reads windows of the current directory of a TIFF as float32 band planes.</summary>
internal sealed class DirectoryReader
{
    readonly TiffWindowDecoder decoder;
    readonly RasterSampleType type;
    readonly int bands;
    readonly bool planar;

    public DirectoryReader(Tiff tiff, string path, int width, int height, int bands, RasterSampleType type, bool planar)
    {
        decoder = new TiffWindowDecoder(tiff, path, width, height, planar ? bands : 1);
        this.type = type;
        this.bands = bands;
        this.planar = planar;
    }

    public RasterBlock Read(PixelWindow window) => planar ? ReadBands(window, 0, bands) : ReadPixelInterleaved(window);

    /// <summary>Bands <paramref name="firstBand"/> to <paramref name="firstBand"/> + <paramref name="count"/> − 1 of
    /// a planar (band-interleaved) directory, decoding only their planes.</summary>
    public RasterBlock ReadBands(PixelWindow window, int firstBand, int count)
    {
        if (!planar) throw new InvalidOperationException("only a planar directory reads a band subset");
        var block = new RasterBlock(window, count);
        var bytesPerPixel = type.BytesPerSample();
        decoder.ForEachRow(window, (plane, row, blockColumn, rowBytes) =>
        {
            var (first, count, offset) = Overlap(window, row, blockColumn, rowBytes.Length / bytesPerPixel);
            if (count > 0)
                SampleConversion.ToFloat(rowBytes[((first - blockColumn) * bytesPerPixel)..], type, 0, 1, block.Band(plane - firstBand).Slice(offset, count));
        }, firstBand, count);
        return block;
    }

    RasterBlock ReadPixelInterleaved(PixelWindow window)
    {
        var block = new RasterBlock(window, bands);
        var bytesPerPixel = bands * type.BytesPerSample();
        decoder.ForEachRow(window, (_, row, blockColumn, rowBytes) =>
        {
            var (first, count, offset) = Overlap(window, row, blockColumn, rowBytes.Length / bytesPerPixel);
            if (count <= 0) return;
            var pixels = rowBytes[((first - blockColumn) * bytesPerPixel)..];
            for (var band = 0; band < bands; band++)
                SampleConversion.ToFloat(pixels, type, band, bands, block.Band(band).Slice(offset, count));
        });
        return block;
    }

    /// <summary>The columns of a decoded row (<paramref name="rowPixels"/> pixels from <paramref name="blockColumn"/>)
    /// inside the window: the first, how many, and where they go in the window's plane.</summary>
    static (int First, int Count, int Offset) Overlap(PixelWindow window, int row, int blockColumn, int rowPixels)
    {
        var first = Math.Max(window.X, blockColumn);
        var count = Math.Min(window.Right, blockColumn + rowPixels) - first;
        return (first, count, (row - window.Y) * window.Width + first - window.X);
    }
}
