using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GdalIO;

/// <summary>
/// Georeferencing of a GDAL dataset as GeoTIFF tags, which is what the writer carries into the output: GDAL writes a
/// one-pixel GeoTIFF in memory with the dataset's CRS and geotransform, and its keys and model tags are read back.
/// So a JPEG 2000 or NetCDF scene gets exactly the keys GDAL's own GTiff driver would give it.
/// </summary>
internal static class GdalGeoReference
{
    public static GeoReference? Of(IntPtr dataset)
    {
        var transform = new double[6];
        var hasTransform = GdalNative.GDALGetGeoTransform(dataset, transform) == 0;
        var wkt = GdalNative.Text(GdalNative.GDALGetProjectionRef(dataset));
        if (!hasTransform && string.IsNullOrEmpty(wkt)) return null;
        var areaOrPoint = GdalNative.Text(GdalNative.GDALGetMetadataItem(dataset, "AREA_OR_POINT", null));

        var memory = $"/vsimem/sr-georeference-{Guid.NewGuid():N}.tif";
        var tiff = GdalNative.GDALCreate(GdalNative.GDALGetDriverByName("GTiff"), memory, 1, 1, 1, 1, IntPtr.Zero);
        if (tiff == IntPtr.Zero) throw new InvalidOperationException($"GDAL cannot create a GeoTIFF in memory: {GdalNative.LastError("unknown error")}");
        if (hasTransform) GdalNative.GDALSetGeoTransform(tiff, transform);
        if (!string.IsNullOrEmpty(wkt)) GdalNative.GDALSetProjection(tiff, wkt);
        if (areaOrPoint is not null) GdalNative.GDALSetMetadataItem(tiff, "AREA_OR_POINT", areaOrPoint, null);
        GdalNative.GDALClose(tiff);

        var buffer = GdalNative.VSIGetMemFileBuffer(memory, out var length, 1);
        byte[] bytes;
        try
        {
            bytes = new byte[length];
            System.Runtime.InteropServices.Marshal.Copy(buffer, bytes, 0, bytes.Length);
        }
        finally
        {
            GdalNative.VSIFree(buffer);
        }
        LibTiffRuntime.EnsureInitialized();
        using var reader = Tiff.ClientOpen("georeference", "r", new MemoryStream(bytes), new TiffStream())
            ?? throw new InvalidOperationException("cannot read back GDAL's in-memory GeoTIFF");
        return GeoTiffTagIO.ReadGeoReference(reader);
    }
}
