using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Pipeline.Grains.Writing;
using Pipeline.Imaging.GdalIO;

namespace Pipeline.Client.Stac;

/// <summary>
/// The STAC Item (1.0.0) written beside every output: <c>scene_x4.tif</c> gets <c>scene_x4.json</c>, the
/// <c>{id}.json</c> naming of static catalogues (stactools, rio-stac), id = the output's file stem. Everything in it
/// is read back from the finished output (size, CRS, bands, model, consistency figures), so the item describes the
/// file as written: footprint in WGS84, <c>proj:</c>, <c>raster:bands</c>, <c>eo:bands</c> where bands are named,
/// <c>processing:</c> lineage and software, the model and scale, a <c>derived_from</c> link to the source (its STAC item
/// when it came from one), and the output, its consistency map and its preview as assets.
/// </summary>
static class OutputItem
{
    public const string StacVersion = "1.0.0";
    public const string Projection = "https://stac-extensions.github.io/projection/v1.1.0/schema.json";
    public const string Raster = "https://stac-extensions.github.io/raster/v1.1.0/schema.json";
    public const string Processing = "https://stac-extensions.github.io/processing/v1.2.0/schema.json";
    public const string ElectroOptical = "https://stac-extensions.github.io/eo/v1.1.0/schema.json";
    public const string CogType = "image/tiff; application=geotiff; profile=cloud-optimized";
    public const string GeoTiffType = "image/tiff; application=geotiff";
    public const string GeoJsonType = "application/geo+json";

    /// <summary>Where the item of <paramref name="output"/> goes.</summary>
    public static string PathFor(string output) => Path.ChangeExtension(output, ".json");

    /// <param name="collection">The batch's collection file the item belongs to, or null.</param>
    /// <param name="thumbnail">The job's thumbnail as its writer made it (<see cref="WriterThumbnail"/>), or null to read
    /// one from the file.</param>
    /// <returns>The item's path.</returns>
    public static string Write(string output, string input, double scale, bool cloudOptimized, string? collection = null, byte[]? thumbnail = null)
    {
        var summary = RasterSummary.Read(output);
        var source = SourceItem.For(input);
        StacFiles.WriteAtomically(ThumbnailFor(output), thumbnail ?? ReadThumbnail(output));
        var item = Build(output, input, scale, cloudOptimized, summary, source, collection, DateTime.UtcNow);
        var path = PathFor(output);
        StacFiles.WriteAtomically(path, item);
        return path;
    }

    internal static JsonObject Build(string output, string input, double scale, bool cloudOptimized, RasterSummary summary, SourceItem? source,
        string? collection, DateTime created)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
        var metadata = summary.Metadata;
        var model = metadata.GetValueOrDefault("SR_MODEL") ?? "unknown";
        var createdText = created.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var properties = new JsonObject
        {
            // The acquisition time is the source's; a plain file has none, so the output's creation stands in for it.
            ["datetime"] = source?.Datetime ?? createdText,
            ["created"] = createdText,
            ["processing:level"] = "super-resolved",
            ["processing:lineage"] = FormattableString.Invariant(
                $"Super-resolved ×{scale} from {(source is null ? Path.GetFileName(input) : $"STAC item {source.Id}")} by the {model} model (sr {SoftwareVersion}), tiles blended into one mosaic"),
            ["processing:software"] = new JsonObject { ["sr"] = SoftwareVersion, ["gdal"] = RasterSummary.GdalVersion },
            ["sr:scale"] = scale,
            ["sr:model"] = model,
        };
        if (metadata.GetValueOrDefault("SR_WEIGHTS_SHA256") is { } weights) properties["sr:weights_sha256"] = weights;
        if (Consistency(metadata) is { } consistency) properties["sr:consistency"] = consistency;
        if (source is not null)
            foreach (var (key, value) in source.Carried) properties[key] = value?.DeepClone();
        AddProjection(properties, summary);

        var data = new JsonObject
        {
            ["href"] = "./" + Path.GetFileName(output),
            ["type"] = cloudOptimized ? CogType : GeoTiffType,
            ["title"] = FormattableString.Invariant($"×{scale} super-resolution ({model})"),
            ["roles"] = new JsonArray("data"),
            ["raster:bands"] = new JsonArray([.. summary.Bands.Select(band => RasterBand(band, summary))]),
        };
        var named = summary.Bands.Any(b => b.Description.Length > 0);
        if (named) data["eo:bands"] = new JsonArray([.. summary.Bands.Select(b => (JsonNode)EoBand(b.Description))]);
        var assets = new JsonObject { ["data"] = data };
        var map = Path.ChangeExtension(output, ".consistency.tif");
        if (File.Exists(map))
            assets["consistency"] = new JsonObject
            {
                ["href"] = "./" + Path.GetFileName(map), ["type"] = GeoTiffType, ["title"] = "where the output departs from its input", ["roles"] = new JsonArray("metadata"),
            };
        var thumbnail = ThumbnailFor(output);
        if (File.Exists(thumbnail))
            assets["thumbnail"] = new JsonObject { ["href"] = "./" + Path.GetFileName(thumbnail), ["type"] = "image/png", ["roles"] = new JsonArray("thumbnail") };

        var links = new JsonArray(new JsonObject
        {
            ["rel"] = "derived_from",
            ["href"] = StacFiles.External(source?.Href ?? input),
            ["type"] = source is not null ? GeoJsonType : MediaType(input),
        });
        if (collection is not null)
            foreach (var rel in new[] { "collection", "parent", "root" })
                links.Add(new JsonObject { ["rel"] = rel, ["href"] = StacFiles.Href(collection, folder), ["type"] = "application/json" });

        var extensions = new JsonArray(Projection, Raster, Processing);
        if (named) extensions.Add(ElectroOptical);
        var item = new JsonObject
        {
            ["type"] = "Feature",
            ["stac_version"] = StacVersion,
            ["stac_extensions"] = extensions,
            ["id"] = Path.GetFileNameWithoutExtension(output),
            ["geometry"] = summary.Wgs84Outline is { } outline
                ? new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(new JsonArray([.. outline.Select(p => (JsonNode)new JsonArray(p[0], p[1]))])) }
                : null,
        };
        if (summary.Wgs84Bbox is { } bbox) item["bbox"] = new JsonArray([.. bbox.Select(v => (JsonNode)v)]);
        item["properties"] = properties;
        item["links"] = links;
        item["assets"] = assets;
        if (collection is not null) item["collection"] = StacCollection.IdOf(collection);
        return item;
    }

    static void AddProjection(JsonObject properties, RasterSummary summary)
    {
        properties["proj:epsg"] = summary.Epsg;
        if (summary.Epsg is null && summary.Wkt is { } wkt) properties["proj:wkt2"] = wkt;
        properties["proj:shape"] = new JsonArray(summary.Height, summary.Width);
        if (summary.GeoTransform is { } g) properties["proj:transform"] = new JsonArray(g[1], g[2], g[0], g[4], g[5], g[3], 0, 0, 1);
        if (summary.NativeBbox is { } native) properties["proj:bbox"] = new JsonArray([.. native.Select(v => (JsonNode)v)]);
    }

    /// <summary>Where the output's thumbnail goes: <c>scene_x4.png</c> beside <c>scene_x4.tif</c>.</summary>
    public static string ThumbnailFor(string output) => Path.ChangeExtension(output, ".png");

    /// <summary>The output at most 256 px on its long side, as the jobs page shows it while it is written (bands 1–3 as
    /// RGB, or band 1 as grey, 2–98 % stretch), read from the finished file's overviews.</summary>
    static byte[] ReadThumbnail(string output)
    {
        using var file = GdalReader.Open(output);
        return MosaicPreview.Of(file).ToPng();
    }

    /// <summary>The eo band of a described band: its name, and its common name when it is one of STAC's.</summary>
    static JsonObject EoBand(string description)
    {
        var band = new JsonObject { ["name"] = description.Length > 0 ? description : null };
        if (CommonNames.Contains(description.ToLowerInvariant())) band["common_name"] = description.ToLowerInvariant();
        return band;
    }

    static readonly HashSet<string> CommonNames =
        ["coastal", "blue", "green", "red", "rededge", "yellow", "pan", "nir", "nir08", "nir09", "cirrus", "swir16", "swir22", "lwir", "lwir11", "lwir12"];

    static JsonObject RasterBand(BandSummary band, RasterSummary summary)
    {
        var entry = new JsonObject { ["data_type"] = band.DataType };
        // JSON has no NaN or infinity: the raster extension spells those nodata values as strings; a scale or offset
        // that is not finite (a hostile header's) is left out rather than written as an invalid number.
        if (band.NoData is { } noData)
            entry["nodata"] = double.IsNaN(noData) ? "nan" : double.IsPositiveInfinity(noData) ? "inf" : double.IsNegativeInfinity(noData) ? "-inf" : noData;
        if (summary.GeoTransform is { } g && double.IsFinite(g[1])) entry["spatial_resolution"] = Math.Abs(g[1]);
        if (band.Scale is { } scale && double.IsFinite(scale)) entry["scale"] = scale;
        if (band.Offset is { } offset && double.IsFinite(offset)) entry["offset"] = offset;
        return entry;
    }

    /// <summary>The writer's consistency figures (SR_CONSISTENCY_* in the output's metadata), or null when not measured.</summary>
    static JsonObject? Consistency(IReadOnlyDictionary<string, string> metadata)
    {
        JsonNode? Number(string key) =>
            metadata.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value : null;
        if (!metadata.ContainsKey("SR_CONSISTENCY_INCONSISTENCY_PERCENT")) return null;
        var flags = metadata.GetValueOrDefault("SR_CONSISTENCY_FLAGS") is { } f && f != "none" ? f.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
        return new JsonObject
        {
            ["inconsistency_percent"] = Number("SR_CONSISTENCY_INCONSISTENCY_PERCENT"),
            ["bias_percent"] = Number("SR_CONSISTENCY_BIAS_PERCENT"),
            ["psnr_db"] = Number("SR_CONSISTENCY_PSNR_DB"),
            ["spectral_angle_deg"] = Number("SR_CONSISTENCY_SPECTRAL_ANGLE_DEG"),
            ["detail"] = Number("SR_CONSISTENCY_DETAIL"),
            ["grain"] = Number("SR_CONSISTENCY_GRAIN"),
            ["flags"] = new JsonArray([.. flags.Select(x => (JsonNode)x)]),
        };
    }

    static string MediaType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".tif" or ".tiff" => GeoTiffType,
        ".jp2" => "image/jp2",
        ".nc" => "application/netcdf",
        ".h5" or ".hdf5" => "application/x-hdf5",
        ".vrt" => "application/xml",
        _ => "application/octet-stream",
    };

    static string SoftwareVersion { get; } =
        typeof(OutputItem).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
