using System.Globalization;
using System.Security;
using System.Xml.Linq;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GdalIO;

/// <summary>
/// A Sentinel-2 L1C or L2A product (<c>….SAFE</c> folder, or its <c>MTD_MSIL1C.xml</c>/<c>MTD_MSIL2A.xml</c>) as one
/// scene: its four 10 m bands B02, B03, B04 and B08 (JPEG 2000, read through GDAL), stacked in that order and named.
/// Digital numbers are kept as they are, nodata 0; for processing baseline 04.00 and later the radiometric offset
/// (BOA_ADD_OFFSET for L2A, RADIO_ADD_OFFSET for L1C) is carried with the quantification value as each band's GDAL
/// scale and offset, so reflectance = DN × scale + offset (e.g. DN × 0.0001 − 0.1) in GDAL, QGIS or rasterio.
/// </summary>
public static class Sentinel2Product
{
    static readonly (string Name, int BandId)[] TenMetreBands = [("B02", 1), ("B03", 2), ("B04", 3), ("B08", 7)];

    /// <summary>Real products' metadata files are under 1 MiB; a bloated one is refused before it is parsed.</summary>
    const long MaxMetadataBytes = 4L << 20;

    /// <summary>The product's metadata file when <paramref name="path"/> names a Sentinel-2 product, else null.</summary>
    public static string? Find(string path)
    {
        if (Directory.Exists(path))
            return new[] { "MTD_MSIL2A.xml", "MTD_MSIL1C.xml" }.Select(name => Path.Combine(path, name)).FirstOrDefault(File.Exists);
        var name = Path.GetFileName(path);
        return File.Exists(path) && name.StartsWith("MTD_MSIL", StringComparison.Ordinal) && name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
            ? path
            : null;
    }

    /// <exception cref="RasterFormatException">The metadata is unreadable or a 10 m band is missing.</exception>
    public static IRasterReader Open(string path, string metadataFile)
    {
        if (LocalFiles.Problem(metadataFile) is { } unfit) throw new RasterFormatException(path, unfit.Message);
        if (new FileInfo(metadataFile).Length > MaxMetadataBytes)
            throw new RasterFormatException(path, $"{Path.GetFileName(metadataFile)} is larger than any Sentinel-2 product's metadata ({MaxMetadataBytes >> 20} MiB); refused");
        XDocument metadata;
        try
        {
            // A real product's metadata has no DTD: refusing one rules out entity expansion and external fetches
            // (XDocument.Load alone would parse it).
            using var xml = System.Xml.XmlReader.Create(metadataFile, new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null });
            metadata = XDocument.Load(xml);
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException)
        {
            throw new RasterFormatException(path, $"unreadable Sentinel-2 metadata {Path.GetFileName(metadataFile)}: {e.Message}", e);
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(metadataFile))!;
        var level2 = Path.GetFileName(metadataFile).Contains("L2A", StringComparison.Ordinal);
        var images = Elements(metadata, "IMAGE_FILE").Select(e => e.Value.Trim()).ToList();
        var baseline = Elements(metadata, "PROCESSING_BASELINE").Select(e => e.Value.Trim()).FirstOrDefault();
        var quantification = Number(Elements(metadata, level2 ? "BOA_QUANTIFICATION_VALUE" : "QUANTIFICATION_VALUE").FirstOrDefault()) ?? 10000;
        var offsets = Elements(metadata, level2 ? "BOA_ADD_OFFSET" : "RADIO_ADD_OFFSET")
            .ToDictionary(e => (int?)e.Attribute("band_id") ?? -1, e => Number(e) ?? 0);

        var readers = new List<IRasterReader>();
        try
        {
            foreach (var (name, _) in TenMetreBands)
            {
                var suffix = level2 ? $"_{name}_10m" : $"_{name}";
                var image = images.FirstOrDefault(i => i.EndsWith(suffix, StringComparison.Ordinal))
                    ?? throw new RasterFormatException(path, $"the product lists no {name} image at 10 m");
                var file = Path.GetFullPath(Path.Combine(folder, image + ".jp2"));
                if (!Inside(folder, file))
                    throw new RasterFormatException(path, $"{name}: IMAGE_FILE '{image}' leads outside the product folder; refused");
                if (!File.Exists(file) && !Directory.Exists(file)) throw new RasterFormatException(path, $"{name}: {file} is missing");
                if (new PathRoots([folder]).Outside(file) is { } real)
                    throw new RasterFormatException(path, $"{name}: {file} leads to {real} through a link, outside the product folder; refused");
                if (LocalFiles.Problem(file) is { } problem) throw new RasterFormatException(path, $"{name}: {problem.Message}");
                readers.Add(GdalReader.Open(file));
            }
            var items = TenMetreBands.Select((band, i) =>
            {
                var item = $"<Item name=\"DESCRIPTION\" sample=\"{i}\" role=\"description\">{band.Name}</Item>";
                if (string.CompareOrdinal(baseline, "04.00") < 0 || !offsets.TryGetValue(band.BandId, out var offset)) return item;
                var scale = 1 / quantification;
                return item + Invariant($"<Item name=\"SCALE\" sample=\"{i}\" role=\"scale\">{scale:R}</Item>")
                            + Invariant($"<Item name=\"OFFSET\" sample=\"{i}\" role=\"offset\">{offset * scale:R}</Item>");
            });
            var info = readers[0].Info with
            {
                Bands = readers.Count,
                IsRgb = false,
                NoData = 0,
                GdalMetadataXml = $"<GDALMetadata>{string.Concat(items)}</GDALMetadata>",
            };
            return new BandStack(path, info, readers, i => TenMetreBands[i].Name);
        }
        catch
        {
            foreach (var reader in readers) reader.Dispose();
            throw;
        }
    }

    static IEnumerable<XElement> Elements(XDocument document, string localName) =>
        document.Descendants().Where(e => e.Name.LocalName == localName);

    static double? Number(XElement? element) =>
        element is not null && double.TryParse(element.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="file"/> (a full path) lies under <paramref name="folder"/>: a product's metadata
    /// names band files relative to its folder, and a hostile one must not reach other files through them.</summary>
    static bool Inside(string folder, string file)
    {
        var relative = Path.GetRelativePath(folder, file);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
