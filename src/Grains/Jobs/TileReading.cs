using Pipeline.Grains.Messages;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Jobs;

/// <summary>Reads a tile's LR pixels and validity, packed in the scene's own sample type: exact, and a half or
/// a quarter of float32's size for uint16 and uint8 scenes.</summary>
public static class TileReading
{
    public static SampleFormat FormatOf(RasterSampleType type) => type switch
    {
        RasterSampleType.Byte => SampleFormat.UInt8,
        RasterSampleType.UInt16 => SampleFormat.UInt16,
        _ => SampleFormat.Float32,
    };

    public static (TilePixels Pixels, byte[]? Validity) Read(IRasterReader reader, PixelWindow window)
    {
        var lr = reader.Read(window);
        var validity = reader.ReadValidity(window, lr);
        return (TilePixels.FromBlock(lr, FormatOf(reader.Info.SampleType)), validity);
    }
}
