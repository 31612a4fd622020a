namespace Pipeline.Imaging.Rasters;

/// <summary>Storage type of one sample in a raster file. Pixels are handled as float32 in memory whatever this is.</summary>
public enum RasterSampleType
{
    Byte,
    UInt16,
    Int16,
    Float32,
}

/// <summary>Size and value range of each <see cref="RasterSampleType"/>.</summary>
public static class RasterSampleTypeExtensions
{
    public static int BytesPerSample(this RasterSampleType type) => type switch
    {
        RasterSampleType.Byte => 1,
        RasterSampleType.UInt16 or RasterSampleType.Int16 => 2,
        RasterSampleType.Float32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool IsInteger(this RasterSampleType type) => type != RasterSampleType.Float32;
}
