using System.Globalization;
using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Reads windows of a (Geo)TIFF as float32 <see cref="RasterBlock"/>s without ever loading the whole image:
/// uint8, uint16, int16 and float32 samples, any band count, chunky or planar, stripped or tiled, every
/// compression LibTiff.NET decodes (YCbCr JPEG comes out as RGB). Safe to share between threads (calls are
/// serialised).
/// </summary>
public sealed class GeoTiffReader : IRasterReader
{
    readonly object sync = new();
    readonly Tiff tiff;
    readonly DirectoryReader image;
    readonly InternalMask? mask;

    GeoTiffReader(string path, Tiff tiff, RasterInfo info, bool planar)
    {
        Path = path;
        this.tiff = tiff;
        Info = info;
        image = new DirectoryReader(tiff, path, info.Width, info.Height, info.Bands, info.SampleType, planar);
        mask = tiff.NumberOfDirectories() > 1 ? InternalMask.Find(path, info.Width, info.Height) : null;
    }

    /// <summary>The file being read.</summary>
    public string Path { get; }

    /// <summary>Size, bands, sample type, georeferencing, nodata and metadata of the image.</summary>
    public RasterInfo Info { get; }

    /// <summary>True when the file carries a GDAL internal nodata mask.</summary>
    public bool HasMask => mask is not null;

    /// <summary>Opens <paramref name="path"/> and reads its first image's description.</summary>
    /// <exception cref="RasterFormatException">Missing, not a TIFF, corrupt or unsupported file.</exception>
    public static GeoTiffReader Open(string path)
    {
        var tiff = TiffOpener.OpenForReading(path, checkDirectory: true);
        try
        {
            var (info, planar) = Describe(path, tiff);
            return new GeoTiffReader(path, tiff, info, planar);
        }
        catch (Exception e)
        {
            tiff.Dispose();
            if (e is RasterFormatException) throw;
            throw new RasterFormatException(path, $"cannot read the TIFF directory: {e.Message}", e);
        }
    }

    /// <summary>Reads all bands of <paramref name="window"/> (which must lie inside the image).</summary>
    public RasterBlock Read(PixelWindow window)
    {
        CheckInside(window);
        lock (sync) return Guard(() => image.Read(window));
    }

    /// <summary>
    /// Which pixels of <paramref name="window"/> hold data: one byte per pixel, row-major, 1 = valid, 0 = invalid
    /// (the internal mask says so, or every band equals the nodata value). Null when every pixel is valid.
    /// Pass the window's <paramref name="pixels"/> if already read, to avoid decoding them again for nodata.
    /// </summary>
    public byte[]? ReadValidity(PixelWindow window, RasterBlock? pixels = null)
    {
        CheckInside(window);
        if (mask is null && !NoDataValidity.MayHaveInvalid(Info)) return null;
        if (pixels is not null && pixels.Window != window) throw new ArgumentException($"pixels cover {pixels.Window}, not {window}", nameof(pixels));
        return NoDataValidity.Of(Info, pixels ?? Read(window), mask is null ? null : validity =>
        {
            lock (sync) Guard(() => mask.ClearInvalid(window, validity));
        });
    }

    public void Dispose()
    {
        lock (sync)
        {
            mask?.Dispose();
            tiff.Dispose();
        }
    }

    void CheckInside(PixelWindow window)
    {
        if (window.IsEmpty || !new PixelWindow(0, 0, Info.Width, Info.Height).Contains(window))
            throw new ArgumentOutOfRangeException(nameof(window), window, $"not a non-empty window inside the {Info.Width}x{Info.Height} image");
    }

    /// <summary>LibTiff.NET can throw its own exceptions on corrupt data; report them like any other decoding failure.</summary>
    void Guard(Action read) => Guard(() =>
    {
        read();
        return true;
    });

    T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not RasterFormatException)
        {
            throw new RasterFormatException(Path, $"cannot decode: {e.Message}", e);
        }
    }

    static (RasterInfo Info, bool Planar) Describe(string path, Tiff tiff)
    {
        var width = tiff.GetField(TiffTag.IMAGEWIDTH)?[0].ToInt() ?? 0;
        var height = tiff.GetField(TiffTag.IMAGELENGTH)?[0].ToInt() ?? 0;
        if (width <= 0 || height <= 0) throw new RasterFormatException(path, $"zero-size image ({width}x{height})");
        var bands = tiff.GetFieldDefaulted(TiffTag.SAMPLESPERPIXEL)[0].ToInt();
        var bits = tiff.GetFieldDefaulted(TiffTag.BITSPERSAMPLE)[0].ToInt();
        var format = (SampleFormat)tiff.GetFieldDefaulted(TiffTag.SAMPLEFORMAT)[0].ToInt();
        var compression = (Compression)tiff.GetFieldDefaulted(TiffTag.COMPRESSION)[0].ToInt();
        var photometric = (Photometric)(tiff.GetField(TiffTag.PHOTOMETRIC)?[0].ToInt() ?? (int)Photometric.MINISBLACK);
        var planar = (PlanarConfig)tiff.GetFieldDefaulted(TiffTag.PLANARCONFIG)[0].ToInt() == PlanarConfig.SEPARATE;

        var type = (format, bits) switch
        {
            (SampleFormat.UINT, 8) => RasterSampleType.Byte,
            (SampleFormat.UINT, 16) => RasterSampleType.UInt16,
            (SampleFormat.INT, 16) => RasterSampleType.Int16,
            (SampleFormat.IEEEFP, 32) => RasterSampleType.Float32,
            _ => throw new RasterFormatException(path, $"unsupported sample format: {bits}-bit {format} (uint8, uint16, int16 and float32 are supported)"),
        };
        if (!tiff.IsCodecConfigured(compression))
            throw new RasterFormatException(path, $"unsupported compression {(int)compression} ({compression})") { MissingCodec = (int)compression };
        if (bands < 1) throw new RasterFormatException(path, $"invalid samples per pixel: {bands}");

        if (photometric == Photometric.YCBCR)
        {
            // Only JPEG can convert YCbCr (with its chroma subsampling) to RGB for us.
            if (compression != Compression.JPEG) throw new RasterFormatException(path, $"unsupported YCbCr data with {compression} compression");
            tiff.SetField(TiffTag.JPEGCOLORMODE, JpegColorMode.RGB);
        }

        var geo = GeoTiffTagIO.ReadGeoReference(tiff);
        if (geo?.Problem is { } geoProblem) throw new RasterFormatException(path, geoProblem);
        var noDataText = GeoTiffTagIO.ReadText(tiff, GeoTiffTags.GdalNoData);
        var info = new RasterInfo
        {
            Width = width,
            Height = height,
            Bands = bands,
            SampleType = type,
            IsRgb = bands >= 3 && photometric is Photometric.RGB or Photometric.YCBCR,
            NoData = double.TryParse(noDataText, NumberStyles.Float, CultureInfo.InvariantCulture, out var noData) ? noData : null,
            Geo = geo,
            GdalMetadataXml = GeoTiffTagIO.ReadText(tiff, GeoTiffTags.GdalMetadata),
        };
        return (info, planar);
    }
}
