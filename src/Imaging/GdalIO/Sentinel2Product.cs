using System.Globalization;
using System.Security;
using System.Xml.Linq;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GdalIO;

/// <summary>
/// A Sentinel-2 L1C or L2A product (a <c>….SAFE</c> folder, its <c>MTD_MSIL1C.xml</c>/<c>MTD_MSIL2A.xml</c>, or a
/// <c>….SAFE.zip</c> as distributed) as one scene per band group: the 10 m bands B02, B03, B04, B08 (the default), or
/// the 20 m bands B05, B06, B07, B8A, B11, B12 (<c>SENTINEL2:"&lt;product&gt;":20m</c>, the CLI's <c>--bands 20m</c>), each
/// group on its own grid, stacked in that order and named. JPEG 2000 bands are read through GDAL (inside a zip through
/// /vsizip/). Digital numbers are kept as they are, nodata 0; for processing baseline 04.00 and later the radiometric
/// offset (BOA_ADD_OFFSET for L2A, RADIO_ADD_OFFSET for L1C) is carried with the quantification value as each band's
/// GDAL scale and offset, so reflectance = DN × scale + offset (e.g. DN × 0.0001 − 0.1) in GDAL, QGIS or rasterio.
/// </summary>
public static partial class Sentinel2Product
{
    public const string Prefix = "SENTINEL2:";

    static readonly Dictionary<string, (string Name, int BandId)[]> BandGroups = new()
    {
        ["10m"] = [("B02", 1), ("B03", 2), ("B04", 3), ("B08", 7)],
        ["20m"] = [("B05", 4), ("B06", 5), ("B07", 6), ("B8A", 8), ("B11", 11), ("B12", 12)],
    };

    /// <summary>The band groups a product is read as.</summary>
    public static IReadOnlyCollection<string> Resolutions => BandGroups.Keys;

    /// <summary>Real products' metadata files are under 1 MiB; a bloated one is refused before it is parsed.</summary>
    const long MaxMetadataBytes = 4L << 20;

    internal static readonly string[] MetadataNames = ["MTD_MSIL2A.xml", "MTD_MSIL1C.xml"];

    /// <summary>The product and band group <paramref name="path"/> names, or null when it names no Sentinel-2 product.</summary>
    public static (string Product, string Resolution)? Find(string path)
    {
        if (path.StartsWith(Prefix, StringComparison.Ordinal))
            return Named().Match(path) is { Success: true } named ? (named.Groups[1].Value, named.Groups[2].Value) : null;
        return IsProduct(path) ? (path, "10m") : null;
    }

    /// <summary>The scene name of a product's band group: the product itself for 10 m, else <c>SENTINEL2:"…":20m</c>.</summary>
    public static string SceneName(string product, string resolution) =>
        resolution == "10m" ? product : $"{Prefix}\"{Path.GetFullPath(product)}\":{resolution}";

    /// <summary>A .SAFE folder holding its metadata file, that metadata file, or a .SAFE.zip.</summary>
    public static bool IsProduct(string path)
    {
        if (Directory.Exists(path)) return MetadataNames.Any(name => File.Exists(Path.Combine(path, name)));
        var name = Path.GetFileName(path);
        return File.Exists(path) && ((name.StartsWith("MTD_MSIL", StringComparison.Ordinal) && name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                                     || name.EndsWith(".SAFE.zip", StringComparison.OrdinalIgnoreCase));
    }

    /// <exception cref="RasterFormatException">The metadata is unreadable, or a band of the group is missing or outside the product.</exception>
    public static IRasterReader Open(string path, string product, string resolution)
    {
        if (!BandGroups.TryGetValue(resolution, out var group))
            throw new RasterFormatException(path, $"'{resolution}' is no Sentinel-2 band group; expected {string.Join(" or ", BandGroups.Keys)}");
        using var source = product.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? ProductFiles.Zip(path, product) : ProductFiles.Folder(path, product);
        var metadata = Load(path, source);
        var level2 = source.MetadataName.Contains("L2A", StringComparison.Ordinal);
        var images = Elements(metadata, "IMAGE_FILE").Select(e => e.Value.Trim()).ToList();
        var baseline = Elements(metadata, "PROCESSING_BASELINE").Select(e => e.Value.Trim()).FirstOrDefault();
        var quantification = Number(Elements(metadata, level2 ? "BOA_QUANTIFICATION_VALUE" : "QUANTIFICATION_VALUE").FirstOrDefault()) ?? 10000;
        // The first value per band id: a hostile file may repeat one.
        var offsets = Elements(metadata, level2 ? "BOA_ADD_OFFSET" : "RADIO_ADD_OFFSET")
            .GroupBy(e => (int?)e.Attribute("band_id") ?? -1).ToDictionary(g => g.Key, g => Number(g.First()) ?? 0);

        var readers = new List<IRasterReader>();
        try
        {
            foreach (var (name, _) in group)
            {
                var suffix = level2 ? $"_{name}_{resolution}" : $"_{name}";
                var image = images.FirstOrDefault(i => i.EndsWith(suffix, StringComparison.Ordinal))
                    ?? throw new RasterFormatException(path, $"the product lists no {name} image at {resolution}");
                var (shown, gdal) = source.Band(name, image + ".jp2");
                readers.Add(GdalReader.Open(shown, gdal));
            }
            var items = group.Select((band, i) =>
            {
                var item = $"<Item name=\"DESCRIPTION\" sample=\"{i}\" role=\"description\">{band.Name}</Item>";
                if (string.CompareOrdinal(baseline, "04.00") < 0 || !offsets.TryGetValue(band.BandId, out var offset)) return item;
                var scale = 1 / quantification;
                return item + Invariant($"<Item name=\"SCALE\" sample=\"{i}\" role=\"scale\">{scale:R}</Item>")
                            + Invariant($"<Item name=\"OFFSET\" sample=\"{i}\" role=\"offset\">{offset * scale:R}</Item>");
            });
            var info = readers[0].Info with
            {
                IsRgb = false,
                NoData = 0,
                GdalMetadataXml = $"<GDALMetadata>{string.Concat(items)}</GDALMetadata>",
            };
            return new BandStack(path, info, readers, i => group[i].Name);
        }
        catch
        {
            foreach (var reader in readers) reader.Dispose();
            throw;
        }
    }

    static XDocument Load(string path, ProductFiles source)
    {
        try
        {
            // A real product's metadata has no DTD: refusing one rules out entity expansion and external fetches
            // (XDocument.Load alone would parse it).
            using var stream = source.OpenMetadata(MaxMetadataBytes);
            using var xml = System.Xml.XmlReader.Create(stream, new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(xml);
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException or InvalidDataException)
        {
            throw new RasterFormatException(path, $"unreadable Sentinel-2 metadata {source.MetadataName}: {e.Message}", e);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^SENTINEL2:\"([^\"]+)\":(\\w+)$")]
    private static partial System.Text.RegularExpressions.Regex Named();

    static IEnumerable<XElement> Elements(XDocument document, string localName) =>
        document.Descendants().Where(e => e.Name.LocalName == localName);

    static double? Number(XElement? element) =>
        element is not null && double.TryParse(element.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
