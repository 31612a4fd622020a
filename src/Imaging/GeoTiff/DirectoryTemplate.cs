using System.Globalization;
using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// The TIFF directories of a file (the full resolution with its georeferencing, nodata and GDAL metadata, then each
/// overview), written by LibTiff into memory without any pixels: the fields <see cref="CloudOptimizedLayout"/> copies
/// into the real file, so every tag is spelled as LibTiff and GDAL expect.
/// </summary>
internal static class DirectoryTemplate
{
    public static (bool Big, List<CloudOptimizedLayout.Directory> Directories) Create(RasterInfo info, TileLayout layout, bool big)
    {
        LibTiffRuntime.EnsureInitialized();
        using var memory = new MemoryStream();
        LibTiffRuntime.ClearError();
        using (var tiff = Tiff.ClientOpen("directories", big ? "w8" : "w4", memory, new StreamLeftOpen())
                          ?? throw new IOException($"cannot start the TIFF directories: {LibTiffRuntime.LastError("unknown error")}"))
        {
            for (var level = 0; level < layout.StoredLevels.Count; level++)
            {
                TiffDirectoryLayout.Apply(tiff, info, layout.StoredLevels[level], layout.Compression, isOverview: level > 0);
                if (level == 0) WriteDescriptiveTags(tiff, info);
                if (!tiff.WriteDirectory()) throw new IOException($"cannot write a TIFF directory: {LibTiffRuntime.LastError("write failed")}");
            }
        }
        var (isBig, read) = CloudOptimizedLayout.ReadTemplate(memory);
        if (read.Count != layout.StoredLevels.Count)
            throw new InvalidOperationException($"LibTiff wrote {read.Count} directories, {layout.StoredLevels.Count} expected");
        // LibTiff leaves the tile tables out of a directory without pixels; the layout knows the tile counts.
        var directories = read.Select((directory, level) => new CloudOptimizedLayout.Directory(directory.Fields, layout.StoredLevels[level].Count * layout.Planes)).ToList();
        return (isBig, directories);
    }

    static void WriteDescriptiveTags(Tiff tiff, RasterInfo info)
    {
        if (info.Geo is { } geo) GeoTiffTagIO.WriteGeoReference(tiff, geo);
        if (info.NoData is { } noData) tiff.SetField(GeoTiffTags.GdalNoData, noData.ToString("R", CultureInfo.InvariantCulture));
        if (info.GdalMetadataXml is { } metadata) tiff.SetField(GeoTiffTags.GdalMetadata, metadata);
    }

    /// <summary>LibTiff closes its stream on dispose; the template is read after that.</summary>
    sealed class StreamLeftOpen : TiffStream
    {
        public override void Close(object clientData)
        {
        }
    }
}
