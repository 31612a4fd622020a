using Mono.Unix;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>What a reader checks about a local file before it opens it: a FIFO or device would block or stream forever,
/// and a folder is no raster.</summary>
static class LocalFiles
{
    /// <summary>The problem with <paramref name="path"/> as a local raster file, or null.</summary>
    public static RasterFormatException? Problem(string path)
    {
        var file = new UnixFileInfo(path);
        if (!file.Exists) return new RasterFormatException(path, "file not found");
        return file.FileType == FileTypes.RegularFile ? null : new RasterFormatException(path, $"not a regular file ({Describe(file.FileType)})");
    }

    public static string Describe(FileTypes type) => type switch
    {
        FileTypes.Directory => "a directory",
        FileTypes.Fifo => "a FIFO",
        FileTypes.CharacterDevice => "a character device",
        FileTypes.BlockDevice => "a block device",
        FileTypes.Socket => "a socket",
        _ => type.ToString(),
    };
}
