using System.Text.Json.Nodes;

namespace Pipeline.Client.Tests.Stac;

/// <summary>Issue 31, "input": STAC items as other tools write them (built here by hand from the spec: rio-stac style
/// 1.0 items with eo:bands and raster:bands, and a pystac style ItemCollection with STAC 1.1 bands and absolute hrefs),
/// each item one scene, its assets chosen by key or band name and stacked in that order.</summary>
public sealed class StacInputTests : IDisposable
{
    const string CogType = "image/tiff; application=geotiff; profile=cloud-optimized";
    readonly string folder = Directory.CreateTempSubdirectory("sr-stac-in-").FullName;
    readonly string crop = TestScenes.LandsatRgbnir;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>One single-band COG per band of the Landsat crop (red, green, blue, nir), and a half-size one.</summary>
    void WriteAssets()
    {
        for (var band = 1; band <= 4; band++) Tools.Run("gdal_translate", "-q", "-of", "COG", "-b", $"{band}", crop, Path.Combine(folder, $"band{band}.tif"));
        Tools.Run("gdal_translate", "-q", "-of", "COG", "-b", "1", "-outsize", "50%", "50%", crop, Path.Combine(folder, "half.tif"));
    }

    static JsonObject RioStacAsset(string href, string name, string common) => new()
    {
        ["href"] = href, ["type"] = CogType, ["roles"] = new JsonArray("data"),
        ["eo:bands"] = new JsonArray(new JsonObject { ["name"] = name, ["common_name"] = common }),
        ["raster:bands"] = new JsonArray(new JsonObject { ["data_type"] = "uint16", ["nodata"] = 0, ["scale"] = 2.75e-05, ["offset"] = -0.2 }),
    };

    JsonObject RioStacItem(string id) => new()
    {
        ["type"] = "Feature", ["stac_version"] = "1.0.0",
        ["stac_extensions"] = new JsonArray("https://stac-extensions.github.io/eo/v1.1.0/schema.json", "https://stac-extensions.github.io/raster/v1.1.0/schema.json"),
        ["id"] = id,
        ["geometry"] = JsonNode.Parse("""{"type":"Polygon","coordinates":[[[-87.5,30.8],[-87.5,30.7],[-87.4,30.7],[-87.4,30.8],[-87.5,30.8]]]}"""),
        ["bbox"] = new JsonArray(-87.5, 30.7, -87.4, 30.8),
        ["properties"] = new JsonObject { ["datetime"] = "2020-01-01T16:36:51Z", ["platform"] = "landsat-8", ["instruments"] = new JsonArray("oli") },
        ["links"] = new JsonArray(),
        ["assets"] = new JsonObject
        {
            ["red"] = RioStacAsset("./band1.tif", "B4", "red"), ["green"] = RioStacAsset("./band2.tif", "B3", "green"),
            ["blue"] = RioStacAsset("./band3.tif", "B2", "blue"), ["nir08"] = RioStacAsset("./band4.tif", "B5", "nir"),
            ["half"] = new JsonObject { ["href"] = "./half.tif", ["type"] = CogType, ["roles"] = new JsonArray("overview") },
        },
    };

    [Fact]
    public async Task An_items_assets_chosen_by_band_name_are_the_same_bands_stacked_in_one_file_with_their_metadata_carried()
    {
        WriteAssets();
        var item = Path.Combine(folder, "item.json");
        File.WriteAllText(item, RioStacItem("LC08_TEST").ToJsonString());
        // The same bands in one file, as gdal_translate stacks them: the output must be what that file gives.
        var stacked = Path.Combine(folder, "stacked.tif");
        Tools.Run("gdal_translate", "-q", "-b", "4", "-b", "1", "-b", "2", "-a_nodata", "0", crop, stacked);

        var output = Path.Combine(folder, "out", "x2.tif");
        var result = await Sr.RunAsync(["upscale", item, "--assets", "nir,red,green", "--out", output, "--scale", "2", "--model", "bicubic", "--quiet"]);
        var expected = Path.Combine(folder, "out", "expected.tif");
        var reference = await Sr.RunAsync(["upscale", stacked, "--out", expected, "--scale", "2", "--model", "bicubic", "--quiet", "--no-stac"]);

        Assert.True(result.ExitCode == 0 && reference.ExitCode == 0, result.Stdout + result.Stderr + reference.Stderr);
        var bands = Gdal("-checksum", output)["bands"]!.AsArray();
        Assert.Equal(Gdal("-checksum", expected)["bands"]!.AsArray().Select(b => (int)b!["checksum"]!), bands.Select(b => (int)b!["checksum"]!));
        Assert.Equal(["nir", "red", "green"], bands.Select(b => (string)b!["description"]!));
        Assert.All(bands, b => Assert.Equal((0.0, 2.75e-05, -0.2), ((double)b!["noDataValue"]!, (double)b["scale"]!, (double)b["offset"]!)));

        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "out", "x2.json")))!;
        await StacValidator.AssertValidAsync(Path.Combine(folder, "out", "x2.json"));
        Assert.Equal(item, written["links"]!.AsArray().Single(l => (string?)l!["rel"] == "derived_from")!["href"]!.GetValue<string>());
        Assert.Equal(("2020-01-01T16:36:51Z", "landsat-8"), ((string?)written["properties"]!["datetime"], (string?)written["properties"]!["platform"]));
        Assert.Equal(["nir", "red", "green"], written["assets"]!["data"]!["eo:bands"]!.AsArray().Select(b => (string)b!["common_name"]!));
    }

    [Fact]
    public async Task An_item_collection_with_STAC_1_1_bands_and_absolute_hrefs_is_a_batch_of_one_scene_per_item()
    {
        WriteAssets();
        JsonObject Item(string id)
        {
            var item = RioStacItem(id);
            item["stac_version"] = "1.1.0";
            item["stac_extensions"] = new JsonArray();
            foreach (var (_, asset) in item["assets"]!.AsObject().ToList())
            {
                var entry = asset!.AsObject();
                entry["href"] = Path.Combine(folder, Path.GetFileName((string)entry["href"]!));
                if (entry["eo:bands"] is JsonArray eo)
                {
                    entry["bands"] = new JsonArray(new JsonObject { ["name"] = (string?)eo[0]!["name"], ["eo:common_name"] = (string?)eo[0]!["common_name"] });
                    entry.Remove("eo:bands");
                    entry.Remove("raster:bands");
                }
            }
            return item;
        }
        var collection = Path.Combine(folder, "search.json");
        File.WriteAllText(collection, new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(Item("scene-a"), Item("scene-b")) }.ToJsonString());
        var outputs = Path.Combine(folder, "out");

        var result = await Sr.RunAsync(["batch", "--input", collection, "--assets", "red,green,blue", "--output", outputs, "--scale", "2", "--model", "bicubic", "--quiet"]);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        foreach (var id in new[] { "scene-a", "scene-b" })
            Assert.Equal(["red", "green", "blue"], Gdal(Path.Combine(outputs, $"{id}.tif"))["bands"]!.AsArray().Select(b => (string)b!["description"]!));
        await StacValidator.AssertValidAsync(Path.Combine(outputs, "collection.json"), Path.Combine(outputs, "scene-a.json"), Path.Combine(outputs, "scene-b.json"));
    }

    [Fact]
    public async Task Assets_on_different_grids_are_refused_in_one_line_naming_them_and_nothing_is_written()
    {
        WriteAssets();
        var item = Path.Combine(folder, "item.json");
        File.WriteAllText(item, RioStacItem("LC08_TEST").ToJsonString());
        var output = Path.Combine(folder, "out", "mixed.tif");

        var result = await Sr.RunAsync(["upscale", item, "--assets", "red,half", "--out", output, "--scale", "2", "--model", "bicubic", "--quiet"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: STAC:\"{item}\":assets=red,half: asset 'half' (100x90 UInt16, 60 per pixel) is not on the grid of asset 'red' (200x180 UInt16, 30 per pixel); choose bands of one grid",
            result.Stderr.Trim());
        Assert.False(Directory.Exists(Path.GetDirectoryName(output)) && Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!).Any());

        var unchosen = await Sr.RunAsync(["upscale", item, "--out", output, "--scale", "2", "--model", "bicubic", "--quiet"]);
        Assert.Equal($"error: STAC:\"{item}\": choose its assets with --assets (keys or band names); it has: red, green, blue, nir08, half", unchosen.Stderr.Trim());
    }

    static JsonNode Gdal(params string[] arguments) => JsonNode.Parse(Tools.Run("gdalinfo", ["-json", .. arguments]))!;
}
