using BitMiracle.LibTiff.Classic;

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

    public RasterBlock Read(PixelWindow window)
    {
        var block = new RasterBlock(window, bands);
        var samplesPerPixel = planar ? 1 : bands;
        var bytesPerPixel = samplesPerPixel * type.BytesPerSample();
        decoder.ForEachRow(window, (plane, row, blockColumn, rowBytes) =>
        {
            var first = Math.Max(window.X, blockColumn);
            var count = Math.Min(window.Right, blockColumn + rowBytes.Length / bytesPerPixel) - first;
            if (count <= 0) return;
            var pixels = rowBytes[((first - blockColumn) * bytesPerPixel)..];
            var offset = (row - window.Y) * window.Width + first - window.X;
            if (planar)
            {
                SampleConversion.ToFloat(pixels, type, 0, 1, block.Band(plane).Slice(offset, count));
                return;
            }
            for (var band = 0; band < bands; band++)
                SampleConversion.ToFloat(pixels, type, band, bands, block.Band(band).Slice(offset, count));
        });
        return block;
    }
}
