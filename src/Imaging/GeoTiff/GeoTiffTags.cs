using BitMiracle.LibTiff.Classic;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// GeoTIFF and GDAL private tags. LibTiff.NET names some of them in <see cref="TiffTag"/> but has no field
/// definitions for any, so without <see cref="Register"/> it warns on reading and refuses to write them.
/// </summary>
internal static class GeoTiffTags
{
    public const TiffTag ModelPixelScale = (TiffTag)33550;
    public const TiffTag ModelTiepoint = (TiffTag)33922;
    public const TiffTag ModelTransformation = (TiffTag)34264;
    public const TiffTag GeoKeyDirectory = (TiffTag)34735;
    public const TiffTag GeoDoubleParams = (TiffTag)34736;
    public const TiffTag GeoAsciiParams = (TiffTag)34737;
    public const TiffTag GdalMetadata = (TiffTag)42112;
    public const TiffTag GdalNoData = (TiffTag)42113;

    static readonly TiffFieldInfo[] Fields =
    [
        Array(ModelPixelScale, TiffType.DOUBLE, "ModelPixelScaleTag"),
        Array(ModelTiepoint, TiffType.DOUBLE, "ModelTiepointTag"),
        Array(ModelTransformation, TiffType.DOUBLE, "ModelTransformationTag"),
        Array(GeoKeyDirectory, TiffType.SHORT, "GeoKeyDirectoryTag"),
        Array(GeoDoubleParams, TiffType.DOUBLE, "GeoDoubleParamsTag"),
        Text(GeoAsciiParams, "GeoAsciiParamsTag"),
        Text(GdalMetadata, "GDALMetadata"),
        Text(GdalNoData, "GDALNoDataValue"),
    ];

    static Tiff.TiffExtendProc? parentExtender;

    /// <summary>Installs the tag extender (library-wide, chained to any earlier one). Call once.</summary>
    public static void Register() => parentExtender = Tiff.SetTagExtender(Extend);

    static void Extend(Tiff tiff)
    {
        tiff.MergeFieldInfo(Fields, Fields.Length);
        parentExtender?.Invoke(tiff);
    }

    static TiffFieldInfo Array(TiffTag tag, TiffType type, string name) =>
        new(tag, TiffFieldInfo.Variable, TiffFieldInfo.Variable, type, FieldBit.Custom, true, true, name);

    static TiffFieldInfo Text(TiffTag tag, string name) =>
        new(tag, TiffFieldInfo.Variable, TiffFieldInfo.Variable, TiffType.ASCII, FieldBit.Custom, true, false, name);
}
