using System.Globalization;
using System.Security;
using System.Text.Json.Nodes;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Stac;

/// <summary>
/// A STAC Item's assets read as one scene (<see cref="StacScenePath"/>). Assets are chosen by key or by band name
/// (an <c>eo:bands</c> or <c>bands</c> entry's <c>common_name</c> or <c>name</c>, e.g. red, green, blue, nir) and stacked
/// in the order asked; without a choice, the item's one asset with the "data" role. Assets must share a grid (else one
/// line names them); each is opened as any input (local or remote, under the same policy). The scene's bands are
/// named after the choice, and carry the item's <c>raster:bands</c> nodata, scale and offset.
/// </summary>
public static class StacItemReader
{
    /// <exception cref="RasterFormatException">The item, a choice or an asset is refused, missing or unreadable.</exception>
    public static IRasterReader Open(string path, InputPolicy policy)
    {
        var scene = ParseOrRefuse(path);
        var item = StacDocuments.Item(scene.Location, StacDocuments.Load(scene.Location, policy), scene.ItemId);
        var chosen = Choose(path, item, scene.Assets);
        var readers = new List<IRasterReader>();
        try
        {
            foreach (var (key, asset, _) in chosen)
            {
                var href = (string?)asset["href"] ?? throw new RasterFormatException(path, $"asset '{key}' has no href");
                var target = StacDocuments.Resolve(scene.Location, href);
                if (StacScenePath.Is(target) || target.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    throw new RasterFormatException(path, $"asset '{key}' is STAC JSON itself ({href}), not a raster");
                try
                {
                    readers.Add(RasterReaders.Open(target, policy));
                }
                catch (RasterFormatException e)
                {
                    throw new RasterFormatException(path, $"asset '{key}': {e.Message}", e);
                }
            }
            var bands = chosen.SelectMany((c, i) => Enumerable.Range(0, readers[i].Info.Bands)
                .Select(b => (Name: BandName(c.Asset, c.Name, b, readers[i].Info.Bands), Band: RasterBand(c.Asset, b)))).ToList();
            var first = readers[0].Info;
            var info = first with
            {
                IsRgb = false,
                NoData = bands.Select(b => Number(b.Band?["nodata"])).FirstOrDefault(n => n is not null) ?? first.NoData,
                GdalMetadataXml = Metadata(bands),
            };
            return new BandStack(path, info, readers, i => $"asset '{chosen[i].Key}'");
        }
        catch
        {
            foreach (var reader in readers) reader.Dispose();
            throw;
        }
    }

    static StacScenePath ParseOrRefuse(string path)
    {
        try
        {
            return StacScenePath.Parse(path);
        }
        catch (ArgumentException e)
        {
            throw new RasterFormatException(path, e.Message, e);
        }
    }

    /// <summary>The assets asked for, in order, with the name each band of the scene takes.</summary>
    static List<(string Key, JsonObject Asset, string Name)> Choose(string path, JsonObject item, IReadOnlyList<string> wanted)
    {
        var assets = (item["assets"] as JsonObject ?? []).Where(a => a.Value is JsonObject).Select(a => (a.Key, Asset: (JsonObject)a.Value!)).ToList();
        string Listing() => string.Join(", ", assets.Select(a => a.Key));
        if (assets.Count == 0) throw new RasterFormatException(path, "the item has no assets");
        if (wanted.Count == 0)
        {
            var data = assets.Where(a => (a.Asset["roles"] as JsonArray ?? []).Any(r => (string?)r == "data")).ToList();
            return data.Count == 1
                ? [(data[0].Key, data[0].Asset, data[0].Key)]
                : throw new RasterFormatException(path, $"choose its assets with --assets (keys or band names); it has: {Listing()}");
        }
        return [.. wanted.Select(name =>
        {
            if (assets.FirstOrDefault(a => a.Key == name) is { Asset: not null } byKey) return (byKey.Key, byKey.Asset, name);
            var byBand = assets.Where(a => BandEntries(a.Asset).Any(b => Matches(b, name))).ToList();
            if (byBand.Count == 0) throw new RasterFormatException(path, $"no asset or band named '{name}'; it has: {Listing()}");
            if (byBand.Count > 1) throw new RasterFormatException(path, $"band '{name}' is in assets {string.Join(", ", byBand.Select(a => a.Key))}; name one by its key");
            if (BandEntries(byBand[0].Asset).Count > 1)
                throw new RasterFormatException(path, $"band '{name}' is one of {BandEntries(byBand[0].Asset).Count} bands of asset '{byBand[0].Key}'; choose the asset by its key");
            return (byBand[0].Key, byBand[0].Asset, name);
        })];
    }

    static List<JsonObject> BandEntries(JsonObject asset) =>
        [.. new[] { "eo:bands", "bands" }.Select(k => asset[k] as JsonArray).FirstOrDefault(a => a is { Count: > 0 })?.OfType<JsonObject>() ?? []];

    static bool Matches(JsonObject band, string name) =>
        new[] { "common_name", "eo:common_name", "name" }.Any(k => string.Equals((string?)band[k], name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The asset's raster description of band <paramref name="index"/> (STAC 1.0 <c>raster:bands</c>, or 1.1 <c>bands</c>).</summary>
    static JsonObject? RasterBand(JsonObject asset, int index)
    {
        var bands = asset["raster:bands"] as JsonArray ?? asset["bands"] as JsonArray;
        if (bands is not null && index < bands.Count && bands[index] is JsonObject band) return band;
        // STAC 1.1 puts one band's raster fields on the asset itself.
        return asset.ContainsKey("nodata") || asset.ContainsKey("raster:scale") || asset.ContainsKey("raster:offset") ? asset : null;
    }

    static double? Number(JsonNode? node) => node?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.Number => node.GetValue<double>(),
        System.Text.Json.JsonValueKind.String when (string?)node is "nan" => double.NaN,
        _ => null,
    };

    /// <summary>A single-band asset's band: the name it was chosen by; one of several: its own band name, else "key N".</summary>
    static string BandName(JsonObject asset, string chosenAs, int band, int count)
    {
        if (count == 1) return chosenAs;
        var entries = BandEntries(asset);
        return band < entries.Count && new[] { "common_name", "eo:common_name", "name" }.Select(k => (string?)entries[band][k]).FirstOrDefault(n => n is { Length: > 0 }) is { } own
            ? own
            : $"{chosenAs} {band + 1}";
    }

    /// <summary>GDAL metadata naming each band and declaring its scale and offset, as GDAL writes them.</summary>
    static string Metadata(IReadOnlyList<(string Name, JsonObject? Band)> bands)
    {
        var items = bands.Select((b, i) =>
        {
            var text = $"<Item name=\"DESCRIPTION\" sample=\"{i}\" role=\"description\">{SecurityElement.Escape(b.Name)}</Item>";
            if (Number(b.Band?["scale"] ?? b.Band?["raster:scale"]) is { } scale)
                text += string.Create(CultureInfo.InvariantCulture, $"<Item name=\"SCALE\" sample=\"{i}\" role=\"scale\">{scale:R}</Item>");
            if (Number(b.Band?["offset"] ?? b.Band?["raster:offset"]) is { } offset)
                text += string.Create(CultureInfo.InvariantCulture, $"<Item name=\"OFFSET\" sample=\"{i}\" role=\"offset\">{offset:R}</Item>");
            return text;
        });
        return $"<GDALMetadata>{string.Concat(items)}</GDALMetadata>";
    }
}
