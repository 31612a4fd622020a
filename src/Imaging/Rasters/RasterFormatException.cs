namespace Pipeline.Imaging.Rasters;

/// <summary>
/// A raster file cannot be read: missing, not a TIFF, truncated, or in a form this reader does not handle.
/// The message is one line, "&lt;path&gt;: &lt;problem&gt;".
/// </summary>
public sealed class RasterFormatException : Exception
{
    public RasterFormatException(string path, string problem, Exception? inner = null)
        // LibTiff messages often name the file again; once at the front is enough.
        : base($"{path}: {problem.Replace(path + ": ", "")}", inner)
    {
        Path = path;
    }

    /// <summary>The file the problem is about.</summary>
    public string Path { get; }

    /// <summary>The TIFF compression LibTiff.NET lacks a codec for, when that is the problem (GDAL may read it).</summary>
    public int? MissingCodec { get; init; }
}
