using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>Reads and writes the GeoTIFF and GDAL tags of the current directory (see <see cref="GeoTiffTags"/>).</summary>
internal static class GeoTiffTagIO
{
    public static GeoReference? ReadGeoReference(Tiff tiff)
    {
        var keys = ReadShorts(tiff, GeoTiffTags.GeoKeyDirectory);
        var pixelScale = ReadDoubles(tiff, GeoTiffTags.ModelPixelScale);
        var tiepoints = ReadDoubles(tiff, GeoTiffTags.ModelTiepoint);
        var transformation = ReadDoubles(tiff, GeoTiffTags.ModelTransformation);
        if (keys is null && pixelScale is null && tiepoints is null && transformation is null) return null;
        return new GeoReference(keys, ReadDoubles(tiff, GeoTiffTags.GeoDoubleParams), ReadText(tiff, GeoTiffTags.GeoAsciiParams),
            pixelScale, tiepoints, transformation);
    }

    public static void WriteGeoReference(Tiff tiff, GeoReference geo)
    {
        if (geo.GeoKeyDirectory is { } keys)
            tiff.SetField(GeoTiffTags.GeoKeyDirectory, keys.Length, Array.ConvertAll(keys, k => unchecked((short)k)));
        WriteDoubles(tiff, GeoTiffTags.GeoDoubleParams, geo.GeoDoubleParams);
        if (geo.GeoAsciiParams is { } ascii) tiff.SetField(GeoTiffTags.GeoAsciiParams, ascii);
        WriteDoubles(tiff, GeoTiffTags.ModelPixelScale, geo.PixelScale);
        WriteDoubles(tiff, GeoTiffTags.ModelTiepoint, geo.Tiepoints);
        WriteDoubles(tiff, GeoTiffTags.ModelTransformation, geo.Transformation);
    }

    public static string? ReadText(Tiff tiff, TiffTag tag)
    {
        var value = tiff.GetField(tag);
        // ASCII values come back with their terminating NUL(s) on some paths.
        return value is { Length: > 0 } ? value[^1].ToString()?.TrimEnd('\0') : null;
    }

    static double[]? ReadDoubles(Tiff tiff, TiffTag tag)
    {
        var value = tiff.GetField(tag);
        return value is { Length: >= 2 } ? value[1].ToDoubleArray() : null;
    }

    static ushort[]? ReadShorts(Tiff tiff, TiffTag tag)
    {
        var value = tiff.GetField(tag);
        return value is { Length: >= 2 } ? Array.ConvertAll(value[1].ToShortArray(), s => unchecked((ushort)s)) : null;
    }

    static void WriteDoubles(Tiff tiff, TiffTag tag, double[]? values)
    {
        if (values is not null) tiff.SetField(tag, values.Length, values);
    }
}
