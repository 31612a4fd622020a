using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging;

/// <summary>Opens the sink that writes an <see cref="OutputFormat"/>: the in-process job and the cluster's writer grain
/// both write through here.</summary>
public static class RasterSinks
{
    /// <exception cref="IOException">The output folder is missing or not writable.</exception>
    public static IRasterSink Create(string path, RasterInfo info, OutputFormat? format = null)
    {
        format ??= new OutputFormat();
        return format.Kind switch
        {
            OutputKind.Cog or OutputKind.GeoTiff => GeoTiffWriter.Create(path, info,
                new GeoTiffWriteOptions { Compression = format.Compression, BuildOverviews = format.Kind == OutputKind.Cog }),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format.Kind, "unknown output format"),
        };
    }
}
