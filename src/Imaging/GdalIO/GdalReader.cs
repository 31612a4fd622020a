using System.Security;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GdalIO;

/// <summary>
/// Reads any raster GDAL opens (JPEG 2000, VRT, NetCDF, ZSTD/LERC/WEBP TIFFs, Sentinel-2 products, /vsicurl/ and
/// /vsis3/ paths) through the machine's libgdal, as float32 windows with one <c>GDALDatasetRasterIO</c> call each.
/// Calls are serialised: a GDAL dataset handle is not thread-safe.
/// </summary>
public sealed class GdalReader : IRasterReader
{
    readonly object sync = new();
    readonly IntPtr dataset;
    bool disposed;

    GdalReader(string path, IntPtr dataset, RasterInfo info)
    {
        Path = path;
        this.dataset = dataset;
        Info = info;
    }

    public string Path { get; }

    public RasterInfo Info { get; }

    /// <summary>Whether libgdal is on this machine (Debian: <c>apt-get install libgdal32</c>).</summary>
    public static bool IsAvailable => GdalNative.IsAvailable;

    /// <summary>Opens <paramref name="gdalPath"/> (what GDAL is given; <paramref name="path"/> is what errors name).</summary>
    /// <exception cref="RasterFormatException">GDAL is missing, cannot open it, or it holds what the pipeline does not handle.</exception>
    /// <param name="roots">Folders a VRT's sources must lie in (none: anywhere).</param>
    public static GdalReader Open(string path, string? gdalPath = null, Access.PathRoots? roots = null)
    {
        if (!IsAvailable) throw new RasterFormatException(path, "this format needs GDAL, which is not installed (Debian: apt-get install libgdal32)");
        var target = gdalPath ?? path;
        // A local VRT is checked before GDAL sees it; one GDAL would fetch from elsewhere cannot be, and is refused.
        var checkedVrt = File.Exists(target) && VrtSources.IsVrt(target);
        if (checkedVrt) VrtSources.Check(target, roots ?? Access.PathRoots.Anywhere);
        GdalNative.CPLErrorReset();
        var dataset = GdalNative.GDALOpenEx(target, GdalNative.OfRaster | GdalNative.OfVerboseError, GdalNative.InputDriverList, IntPtr.Zero, IntPtr.Zero);
        if (dataset == IntPtr.Zero)
            throw new RasterFormatException(path, $"GDAL cannot open it as {string.Join(", ", GdalNative.InputDrivers)}: {GdalNative.LastError("not a raster GDAL reads")}");
        try
        {
            if (!checkedVrt && GdalNative.Text(GdalNative.GDALGetDriverShortName(GdalNative.GDALGetDatasetDriver(dataset))) == "VRT")
                throw new RasterFormatException(path, "a VRT that is not a local file is not allowed (its sources could not be checked)");
            return new GdalReader(path, dataset, Describe(path, dataset));
        }
        catch
        {
            GdalNative.GDALClose(dataset);
            throw;
        }
    }

    public RasterBlock Read(PixelWindow window)
    {
        CheckInside(window);
        var block = new RasterBlock(window, Info.Bands);
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            GdalNative.CPLErrorReset();
            var area = checked((int)window.Area);
            if (GdalNative.GDALDatasetRasterIO(dataset, GdalNative.Read, window.X, window.Y, window.Width, window.Height, block.Data,
                    window.Width, window.Height, GdalNative.TypeFloat32, Info.Bands, IntPtr.Zero, sizeof(float), window.Width * sizeof(float), area * sizeof(float)) != 0)
                throw new RasterFormatException(Path, $"cannot read {window}: {GdalNative.LastError("read failed")}");
        }
        return block;
    }

    /// <summary>The whole image reduced to <paramref name="width"/>×<paramref name="height"/> pixels (GDAL reads its
    /// overviews where the file has them): a thumbnail's pixels, in a block whose window is the reduced size.</summary>
    public RasterBlock ReadReduced(int width, int height)
    {
        var block = new RasterBlock(new PixelWindow(0, 0, width, height), Info.Bands);
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            GdalNative.CPLErrorReset();
            if (GdalNative.GDALDatasetRasterIO(dataset, GdalNative.Read, 0, 0, Info.Width, Info.Height, block.Data,
                    width, height, GdalNative.TypeFloat32, Info.Bands, IntPtr.Zero, sizeof(float), width * sizeof(float), width * height * sizeof(float)) != 0)
                throw new RasterFormatException(Path, $"cannot read it reduced: {GdalNative.LastError("read failed")}");
        }
        return block;
    }

    public byte[]? ReadValidity(PixelWindow window, RasterBlock? pixels = null)
    {
        CheckInside(window);
        if (!NoDataValidity.MayHaveInvalid(Info)) return null;
        if (pixels is not null && pixels.Window != window) throw new ArgumentException($"pixels cover {pixels.Window}, not {window}", nameof(pixels));
        return NoDataValidity.Of(Info, pixels ?? Read(window));
    }

    public void Dispose()
    {
        lock (sync)
        {
            if (disposed) return;
            disposed = true;
            GdalNative.GDALClose(dataset);
        }
    }

    static RasterInfo Describe(string path, IntPtr dataset)
    {
        var (width, height, bands) = (GdalNative.GDALGetRasterXSize(dataset), GdalNative.GDALGetRasterYSize(dataset), GdalNative.GDALGetRasterCount(dataset));
        if (bands < 1)
        {
            var subdatasets = GdalNative.KeyValues(GdalNative.GDALGetMetadata(dataset, "SUBDATASETS"))
                .Where(item => item.Key.EndsWith("_NAME", StringComparison.Ordinal)).Select(item => item.Value).ToList();
            throw new RasterFormatException(path, subdatasets.Count > 0
                ? $"holds {subdatasets.Count} subdatasets, not one raster; name one, e.g. {subdatasets[0]}"
                : "holds no raster bands");
        }
        var firstBand = GdalNative.GDALGetRasterBand(dataset, 1);
        var gdalType = GdalNative.GDALGetRasterDataType(firstBand);
        var type = gdalType switch
        {
            1 => RasterSampleType.Byte,
            2 => RasterSampleType.UInt16,
            3 => RasterSampleType.Int16,
            6 => RasterSampleType.Float32,
            _ => throw new RasterFormatException(path, $"unsupported sample type {TypeName(gdalType)} (uint8, uint16, int16 and float32 are supported)"),
        };
        for (var band = 2; band <= bands; band++)
            if (GdalNative.GDALGetRasterDataType(GdalNative.GDALGetRasterBand(dataset, band)) != gdalType)
                throw new RasterFormatException(path, $"band {band} has another sample type than band 1");

        var noData = GdalNative.GDALGetRasterNoDataValue(firstBand, out var hasNoData);
        var colours = Enumerable.Range(1, Math.Min(bands, 3)).Select(b => GdalNative.GDALGetRasterColorInterpretation(GdalNative.GDALGetRasterBand(dataset, b))).ToArray();
        var geo = GdalGeoReference.Of(dataset);
        if (geo?.Problem is { } problem) throw new RasterFormatException(path, problem);
        return new RasterInfo
        {
            Width = width,
            Height = height,
            Bands = bands,
            SampleType = type,
            IsRgb = colours is [3, 4, 5],
            NoData = hasNoData != 0 ? noData : null,
            Geo = geo,
            GdalMetadataXml = Descriptions(dataset, bands),
        };
    }

    /// <summary>Band descriptions (e.g. a Sentinel-2 band's name) as GDAL_METADATA items, which GDAL reads back as
    /// descriptions of the output's bands.</summary>
    static string? Descriptions(IntPtr dataset, int bands)
    {
        var items = Enumerable.Range(0, bands)
            .Select(band => (band, text: GdalNative.Text(GdalNative.GDALGetDescription(GdalNative.GDALGetRasterBand(dataset, band + 1)))))
            .Where(item => !string.IsNullOrEmpty(item.text))
            .Select(item => $"<Item name=\"DESCRIPTION\" sample=\"{item.band}\" role=\"description\">{SecurityElement.Escape(item.text)}</Item>")
            .ToList();
        return items.Count == 0 ? null : $"<GDALMetadata>{string.Concat(items)}</GDALMetadata>";
    }

    static string TypeName(int type) => type switch
    {
        4 => "uint32",
        5 => "int32",
        7 => "float64",
        8 or 9 or 10 or 11 => "complex",
        12 => "uint64",
        13 => "int64",
        14 => "int8",
        _ => $"GDAL type {type}",
    };

    void CheckInside(PixelWindow window)
    {
        if (window.IsEmpty || !new PixelWindow(0, 0, Info.Width, Info.Height).Contains(window))
            throw new ArgumentOutOfRangeException(nameof(window), window, $"not a non-empty window inside the {Info.Width}x{Info.Height} image");
    }
}
