using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Structural tags of a written directory, shared by the full-resolution image and its overviews: chunky tiles
/// (separate planes past <see cref="BandLayout.MaxPixelInterleavedBands"/> bands),
/// the input's sample type, RGB photometric for 3-band uint8 RGB and min-is-black (with unspecified extra
/// samples) otherwise, and compression with the predictor that suits the sample type.
/// </summary>
internal static class TiffDirectoryLayout
{
    public static bool IsRgb(RasterInfo info) => info.IsRgb && info.Bands == 3 && info.SampleType == RasterSampleType.Byte;

    public static void Apply(Tiff tiff, RasterInfo info, TileGrid grid, OutputCompression compression, bool isOverview)
    {
        if (isOverview) tiff.SetField(TiffTag.SUBFILETYPE, FileType.REDUCEDIMAGE);
        tiff.SetField(TiffTag.IMAGEWIDTH, grid.Width);
        tiff.SetField(TiffTag.IMAGELENGTH, grid.Height);
        tiff.SetField(TiffTag.TILEWIDTH, grid.TileSize);
        tiff.SetField(TiffTag.TILELENGTH, grid.TileSize);
        tiff.SetField(TiffTag.SAMPLESPERPIXEL, info.Bands);
        tiff.SetField(TiffTag.BITSPERSAMPLE, info.SampleType.BytesPerSample() * 8);
        tiff.SetField(TiffTag.SAMPLEFORMAT, info.SampleType switch
        {
            RasterSampleType.Int16 => SampleFormat.INT,
            RasterSampleType.Float32 => SampleFormat.IEEEFP,
            _ => SampleFormat.UINT,
        });
        tiff.SetField(TiffTag.PLANARCONFIG, BandLayout.IsBandInterleaved(info.Bands) ? PlanarConfig.SEPARATE : PlanarConfig.CONTIG);
        var rgb = IsRgb(info);
        tiff.SetField(TiffTag.PHOTOMETRIC, rgb ? Photometric.RGB : Photometric.MINISBLACK);
        var extraSamples = info.Bands - (rgb ? 3 : 1);
        if (extraSamples > 0) tiff.SetField(TiffTag.EXTRASAMPLES, extraSamples, new short[extraSamples]);
        tiff.SetField(TiffTag.COMPRESSION, compression == OutputCompression.Lzw ? Compression.LZW : Compression.ADOBE_DEFLATE);
        tiff.SetField(TiffTag.PREDICTOR, info.SampleType == RasterSampleType.Float32 ? Predictor.FLOATINGPOINT : Predictor.HORIZONTAL);
    }
}
