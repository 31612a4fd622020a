using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Client.Stac;

/// <summary>
/// The static STAC Collection a batch writes over its items (<c>collection.json</c> in the output folder), so the
/// whole output folder is a catalogue: its spatial extent is the union of the items' WGS84 bounds, its temporal extent
/// their datetimes, and its summaries the scales, models and CRS codes found. Beside it, <c>items.json</c>: the same
/// items as one ItemCollection (what a STAC API's <c>/items</c> answers), linked from the collection as "items",
/// because that is what GDAL's STACIT driver opens (GDAL 3.6 finds no "features" in a Collection):
/// <c>gdalinfo 'STACIT:"items.json"'</c> mosaics the outputs, one subdataset per CRS. Its hrefs are absolute, as an
/// API's are: GDAL 3.6 resolves a relative asset href against its working folder, not the file. The catalogue proper
/// (collection and items) keeps relative hrefs and moves as a folder; a re-run writes items.json again.
/// </summary>
static class StacCollection
{
    public const string FileName = "collection.json";
    public const string ItemsFileName = "items.json";

    /// <summary>The collection's id: its folder's name.</summary>
    public static string IdOf(string collectionPath) => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(collectionPath))!) is { Length: > 0 } name ? name : "sr-output";

    /// <param name="items">The items' paths (written by <see cref="OutputItem"/>).</param>
    public static void Write(string collectionPath, IReadOnlyList<string> items)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(collectionPath))!;
        var read = items.Select(path => (Path: path, Item: JsonNode.Parse(File.ReadAllText(path))!.AsObject())).ToList();
        var boxes = read.Select(r => r.Item["bbox"]?.AsArray().Select(v => v!.GetValue<double>()).ToArray()).OfType<double[]>().ToList();
        var times = read.Select(r => r.Item["properties"]?["datetime"]?.GetValue<string>()).OfType<string>().Order(StringComparer.Ordinal).ToList();
        JsonArray Distinct(string key) => new([.. read.Select(r => r.Item["properties"]?[key]).OfType<JsonNode>()
            .Select(n => n.ToJsonString()).Distinct().Order(StringComparer.Ordinal).Select(json => JsonNode.Parse(json))]);

        var links = new JsonArray(
            new JsonObject { ["rel"] = "root", ["href"] = "./" + Path.GetFileName(collectionPath), ["type"] = "application/json" },
            new JsonObject { ["rel"] = "self", ["href"] = "./" + Path.GetFileName(collectionPath), ["type"] = "application/json" });
        links.Add(new JsonObject { ["rel"] = "items", ["href"] = "./" + ItemsFileName, ["type"] = OutputItem.GeoJsonType });
        foreach (var (path, item) in read)
            links.Add(new JsonObject { ["rel"] = "item", ["href"] = StacFiles.Href(path, folder), ["type"] = OutputItem.GeoJsonType, ["title"] = item["id"]?.GetValue<string>() });

        var collection = new JsonObject
        {
            ["type"] = "Collection",
            ["stac_version"] = OutputItem.StacVersion,
            ["stac_extensions"] = new JsonArray(OutputItem.Projection, OutputItem.Raster, OutputItem.Processing),
            ["id"] = IdOf(collectionPath),
            ["title"] = $"Super-resolved scenes in {IdOf(collectionPath)}",
            ["description"] = string.Create(CultureInfo.InvariantCulture,
                $"{read.Count} scene(s) super-resolved by sr, each a GeoTIFF with its STAC item (lineage, model, scale and the output's consistency with its input)."),
            // The inputs' licences are theirs; a batch may mix several.
            ["license"] = "various",
            ["extent"] = new JsonObject
            {
                ["spatial"] = new JsonObject
                {
                    ["bbox"] = new JsonArray(boxes.Count == 0 ? new JsonArray(-180, -90, 180, 90)
                        : new JsonArray(boxes.Min(b => b[0]), boxes.Min(b => b[1]), boxes.Max(b => b[2]), boxes.Max(b => b[3]))),
                },
                ["temporal"] = new JsonObject { ["interval"] = new JsonArray(new JsonArray(times.FirstOrDefault(), times.LastOrDefault())) },
            },
            ["summaries"] = new JsonObject
            {
                ["sr:scale"] = Distinct("sr:scale"), ["sr:model"] = Distinct("sr:model"), ["proj:epsg"] = Distinct("proj:epsg"),
                ["processing:level"] = Distinct("processing:level"),
            },
            ["links"] = links,
        };
        StacFiles.WriteAtomically(Path.Combine(folder, ItemsFileName), new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = new JsonArray([.. read.Select(r => (JsonNode)Absolute(r.Item, Path.GetDirectoryName(Path.GetFullPath(r.Path))!))]),
        });
        StacFiles.WriteAtomically(collectionPath, collection);
    }

    /// <summary>The item with its relative hrefs (written from its own folder, <paramref name="from"/>) made absolute.</summary>
    static JsonObject Absolute(JsonObject item, string from)
    {
        var copy = item.DeepClone().AsObject();
        var hrefs = (copy["assets"]?.AsObject().Select(a => a.Value) ?? []).Concat(copy["links"]?.AsArray() ?? []).OfType<JsonObject>();
        foreach (var entry in hrefs)
            if (entry["href"]?.GetValue<string>() is { } href && !StacFiles.IsUrl(href) && !Path.IsPathRooted(href))
                entry["href"] = Path.GetFullPath(Path.Combine(from, href));
        return copy;
    }
}
