using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.Stac;

namespace Pipeline.Imaging;

/// <summary>
/// Opens a scene with the right reader. TIFFs go to LibTiff.NET (<see cref="GeoTiffReader"/>, which checks hostile
/// files before trusting them); GDAL (<see cref="GdalReader"/>) takes what LibTiff.NET cannot: TIFFs compressed with
/// ZSTD, LERC, WEBP or JPEG XL, files recognised as JPEG 2000, VRT, NetCDF or HDF5, Sentinel-2 products
/// (<see cref="Sentinel2Product"/>), STAC items' assets (<see cref="StacItemReader"/>), and remote
/// paths and subdatasets (https:// and s3:// become GDAL's /vsicurl/ and /vsis3/). Anything else is reported as the TIFF reader sees it,
/// so a damaged TIFF never reaches GDAL.
/// </summary>
public static class RasterReaders
{
    /// <summary>ZSTD, LERC, WEBP and JPEG XL: TIFF codecs GDAL's libtiff has and LibTiff.NET has not.</summary>
    static readonly int[] GdalCodecs = [50000, 34887, 50001, 50002];

    /// <summary>JPEG 2000 (JP2 box, raw codestream), VRT, NetCDF classic and 64-bit, HDF5 (NetCDF-4).</summary>
    static readonly byte[][] Signatures =
    [
        [0, 0, 0, 12, (byte)'j', (byte)'P', (byte)' ', (byte)' '], [0xFF, 0x4F, 0xFF, 0x51], "<VRTDataset"u8.ToArray(),
        [(byte)'C', (byte)'D', (byte)'F', 1], [(byte)'C', (byte)'D', (byte)'F', 2], [0x89, (byte)'H', (byte)'D', (byte)'F'],
    ];

    /// <summary>Opens a scene for this machine's user: any remote host they reach (<see cref="InputPolicy.Unrestricted"/>).</summary>
    public static IRasterReader Open(string path) => Open(path, InputPolicy.Unrestricted);

    /// <summary>Opens a scene, refusing remote paths <paramref name="inputs"/> does not allow before anything is fetched.</summary>
    public static IRasterReader Open(string path, InputPolicy inputs)
    {
        if (inputs.Problem(path) is { } refused) throw refused;
        if (StacScenePath.Is(path)) return StacItemReader.Open(path, inputs);
        if (Sentinel2Product.Find(path) is { } product) return Sentinel2Product.Open(path, product.Product, product.Resolution);
        if (GdalPath(path) is { } gdalPath) return GdalReader.Open(path, gdalPath, inputs.Roots);
        if (IsOtherFormat(path)) return GdalReader.Open(path, roots: inputs.Roots);
        try
        {
            return GeoTiffReader.Open(path);
        }
        catch (RasterFormatException e) when (e.MissingCodec is { } codec && GdalCodecs.Contains(codec))
        {
            if (!GdalReader.IsAvailable) throw new RasterFormatException(path, $"{e.Message[(path.Length + 2)..]}; GDAL reads it (Debian: apt-get install libgdal32)", e);
            return GdalReader.Open(path, roots: inputs.Roots);
        }
    }

    /// <summary>What GDAL is given for a scene named for it (<see cref="ScenePaths.IsGdalPath"/>), or null for a local file.</summary>
    public static string? GdalPath(string path) =>
        !ScenePaths.IsGdalPath(path) ? null
        : path.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) ? "/vsis3/" + path[5..]
        : path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "/vsicurl/" + path
        : path;

    /// <summary>A local file whose first bytes say JPEG 2000 (box or codestream), VRT, NetCDF or HDF5.</summary>
    static bool IsOtherFormat(string path)
    {
        if (ScenePaths.InputProblem(path) is not null) return false; // a FIFO or device: refused by the TIFF reader, never opened here
        var head = new byte[16];
        int read;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (!file.CanSeek) return false;
            read = file.Read(head);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the TIFF reader reports it
        }
        foreach (var signature in Signatures)
            if (head.AsSpan(0, read).StartsWith(signature)) return true;
        return false;
    }
}
