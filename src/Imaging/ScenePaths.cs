using Mono.Unix;
using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging;

/// <summary>
/// What a job checks about its paths before it reads or writes anything. By file identity (stat: device and inode,
/// following links), not by path text, so an output reached through a symlinked folder or a hard link is still
/// recognised as the input.
/// </summary>
public static partial class ScenePaths
{
    /// <summary>The problem with an input path, or null. A FIFO or device would block or stream forever, a folder is no
    /// scene: all are refused at once.</summary>
    public static RasterFormatException? InputProblem(string inputPath)
    {
        if (IsGdalPath(inputPath) || Sentinel2Product.Find(inputPath) is not null) return null;
        return LocalFiles.Problem(inputPath);
    }

    /// <summary>The problem with an output path, or null: it must not be, or resolve to, the input, and when it exists
    /// it must be a regular file (it is replaced by a rename at the end).</summary>
    public static RasterFormatException? OutputProblem(string inputPath, string outputPath)
    {
        if (Path.GetFullPath(inputPath) == Path.GetFullPath(outputPath))
            return new RasterFormatException(outputPath, "the output would overwrite the input");
        var output = new UnixFileInfo(outputPath);
        if (!output.Exists) return null;
        if (output.FileType != FileTypes.RegularFile)
            return new RasterFormatException(outputPath, $"the output exists and is not a regular file ({LocalFiles.Describe(output.FileType)})");
        var input = new UnixFileInfo(inputPath);
        return input.Exists && input.Device == output.Device && input.Inode == output.Inode
            ? new RasterFormatException(outputPath, $"the output is the input {inputPath} under another name (a link); it would overwrite it")
            : null;
    }

    /// <summary>A scene named for GDAL rather than a local file: https://, http://, s3://, a GDAL virtual path
    /// (/vsicurl/, /vsis3/, …) or a subdataset (NETCDF:"file.nc":var, HDF5:…, SENTINEL2_L2A:…).</summary>
    public static bool IsGdalPath(string path) =>
        path.StartsWith("/vsi", StringComparison.Ordinal) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)
        || Subdataset().IsMatch(path);

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Z][A-Z0-9_]+:.")]
    private static partial System.Text.RegularExpressions.Regex Subdataset();

    /// <summary>A local path made absolute (every silo resolves it alike); a remote one as given.</summary>
    public static string Resolve(string path, string? baseFolder = null) =>
        IsGdalPath(path) ? path : baseFolder is null ? Path.GetFullPath(path) : Path.GetFullPath(path, baseFolder);

    /// <summary>Throws the first problem of the pair.</summary>
    public static void Check(string inputPath, string outputPath)
    {
        if ((InputProblem(inputPath) ?? OutputProblem(inputPath, outputPath)) is { } problem) throw problem;
    }
}
