using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>Opens an existing TIFF for reading over a stream we own, turning every failure into a <see cref="RasterFormatException"/>.</summary>
internal static class TiffOpener
{
    /// <param name="checkDirectory">Check the first directory against the file first (<see cref="TiffDirectoryCheck"/>):
    /// for inputs; the writer's own temporary file is trusted.</param>
    public static Tiff OpenForReading(string path, bool checkDirectory = false)
    {
        LibTiffRuntime.EnsureInitialized();
        if (LocalFiles.Problem(path) is { } problem) throw problem;
        FileStream stream;
        try
        {
            // Shared for writing too: the writer re-reads its own temporary file while still appending to it.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RasterFormatException(path, $"cannot open: {e.Message}", e);
        }
        if (stream.Length == 0)
        {
            stream.Dispose();
            throw new RasterFormatException(path, "not a TIFF file (empty)");
        }
        if (checkDirectory)
        {
            try
            {
                TiffDirectoryCheck.Validate(path, stream);
                stream.Position = 0;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }
        LibTiffRuntime.ClearError();
        Tiff? tiff;
        try
        {
            tiff = Tiff.ClientOpen(path, "r", stream, new TiffStream());
        }
        catch (Exception e)
        {
            stream.Dispose();
            throw new RasterFormatException(path, $"not a readable TIFF file: {e.Message}", e);
        }
        if (tiff is null)
        {
            stream.Dispose();
            throw new RasterFormatException(path, $"not a readable TIFF file: {LibTiffRuntime.LastError("unknown error")}");
        }
        return tiff;
    }
}
