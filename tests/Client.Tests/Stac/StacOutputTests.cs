using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Client.Tests.Stac;

/// <summary>Issue 31, "output": every output gets a STAC Item beside it and a batch a Collection over them, checked by
/// the maintained validator, opened by GDAL's STACIT driver, and held against what GDAL itself says of the outputs.</summary>
public sealed class StacOutputTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("sr-stac-out-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_batch_writes_an_item_per_output_and_a_collection_that_the_validator_accepts_and_GDAL_opens()
    {
        var inputs = Directory.CreateDirectory(Path.Combine(folder, "in")).FullName;
        File.Copy(TestScenes.NeonRgb, Path.Combine(inputs, "a.tif"));
        Directory.CreateDirectory(Path.Combine(inputs, "sub"));
        File.Copy(TestScenes.LandsatRgbnir, Path.Combine(inputs, "sub", "b.tif"));
        var outputs = Path.Combine(folder, "out");

        var result = await Sr.RunAsync(["batch", "--input", inputs, "--output", outputs, "--scale", "2", "--model", "bicubic", "--quiet"]);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        string Out(params string[] parts) => Path.Combine([outputs, .. parts]);
        await StacValidator.AssertValidAsync(Out("collection.json"), Out("a.json"), Out("sub", "b.json"));

        var a = Read(Out("a.json"));
        Assert.Equal("a", (string?)a["id"]);
        Assert.Equal(32619, (int?)a["properties"]!["proj:epsg"]);
        Assert.Equal([448, 512], a["properties"]!["proj:shape"]!.AsArray().Select(v => (int)v!));
        Assert.Equal(2.0, (double?)a["properties"]!["sr:scale"]);
        Assert.Equal("bicubic", (string?)a["properties"]!["sr:model"]);
        Assert.InRange((double)a["properties"]!["sr:consistency"]!["inconsistency_percent"]!, 0, 10);
        var data = a["assets"]!["data"]!;
        Assert.Equal(("./a.tif", "image/tiff; application=geotiff; profile=cloud-optimized"), ((string?)data["href"], (string?)data["type"]));
        Assert.Equal(["uint8", "uint8", "uint8"], data["raster:bands"]!.AsArray().Select(b => (string)b!["data_type"]!));
        Assert.Equal("./a.consistency.tif", (string?)a["assets"]!["consistency"]!["href"]);
        Assert.Equal(("./a.png", "image/png"), ((string?)a["assets"]!["thumbnail"]!["href"], (string?)a["assets"]!["thumbnail"]!["type"]));
        Assert.Equal([256, 224], Gdal("gdalinfo", "-json", Out("a.png"))["size"]!.AsArray().Select(v => (int)v!));
        Assert.Equal(Path.Combine(inputs, "a.tif"), Link(a, "derived_from"));
        Assert.Equal("./collection.json", Link(a, "collection"));
        AssertBboxIsGdals(a, Out("a.tif"));

        var b = Read(Out("sub", "b.json"));
        Assert.Equal(32616, (int?)b["properties"]!["proj:epsg"]);
        Assert.Equal("../collection.json", Link(b, "collection"));
        Assert.Equal(4, b["assets"]!["data"]!["raster:bands"]!.AsArray().Count);
        AssertBboxIsGdals(b, Out("sub", "b.tif"));

        var collection = Read(Out("collection.json"));
        Assert.Equal(["./a.json", "./sub/b.json"], collection["links"]!.AsArray().Where(l => (string?)l!["rel"] == "item").Select(l => (string)l!["href"]!));
        Assert.Equal([32616, 32619], collection["summaries"]!["proj:epsg"]!.AsArray().Select(v => (int)v!));
        var extent = collection["extent"]!["spatial"]!["bbox"]![0]!.AsArray().Select(v => (double)v!).ToArray();
        foreach (var item in new[] { a, b })
        {
            var box = item["bbox"]!.AsArray().Select(v => (double)v!).ToArray();
            Assert.True(extent[0] <= box[0] && extent[1] <= box[1] && extent[2] >= box[2] && extent[3] >= box[3], $"{item["id"]} outside the collection's extent");
        }

        // GDAL's STACIT mosaics the items by CRS: one subdataset each, the Landsat one the size of b's output.
        var stacit = Gdal("gdalinfo", "-json", $"STACIT:\"{Out("items.json")}\"");
        var subdatasets = stacit["metadata"]!["SUBDATASETS"]!.AsObject().Where(p => p.Key.EndsWith("_NAME")).Select(p => (string)p.Value!).Order().ToList();
        Assert.Equal([$"STACIT:\"{Out("items.json")}\":asset=data,crs=EPSG_32616", $"STACIT:\"{Out("items.json")}\":asset=data,crs=EPSG_32619"], subdatasets);
        var landsat = Gdal("gdalinfo", "-json", subdatasets[0]);
        Assert.Equal([400, 360], landsat["size"]!.AsArray().Select(v => (int)v!));
    }

    [Fact]
    public async Task Upscale_writes_the_item_beside_its_output_unless_told_not_to()
    {
        var output = Path.Combine(folder, "neon_x3.tif");
        var result = await Sr.RunAsync(["upscale", TestScenes.NeonRgb, "--out", output, "--scale", "3", "--model", "bicubic", "--quiet"]);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains($"wrote {Path.Combine(folder, "neon_x3.json")}: its STAC item", result.Stdout);
        await StacValidator.AssertValidAsync(Path.Combine(folder, "neon_x3.json"));
        Assert.Equal(3.0, (double?)Read(Path.Combine(folder, "neon_x3.json"))["properties"]!["sr:scale"]);

        var plain = Path.Combine(folder, "plain.tif");
        result = await Sr.RunAsync(["upscale", TestScenes.NeonRgb, "--out", plain, "--scale", "2", "--model", "bicubic", "--quiet", "--no-stac"]);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.False(File.Exists(Path.Combine(folder, "plain.json")));
    }

    static JsonNode Read(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    static string? Link(JsonNode item, string rel) => item["links"]!.AsArray().Where(l => (string?)l!["rel"] == rel).Select(l => (string?)l!["href"]).Single();

    /// <summary>The item's bbox against GDAL's own WGS84 extent of the file (gdalinfo -json "wgs84Extent").</summary>
    static void AssertBboxIsGdals(JsonNode item, string tif)
    {
        var ring = Gdal("gdalinfo", "-json", tif)["wgs84Extent"]!["coordinates"]![0]!.AsArray().Select(p => p!.AsArray().Select(v => (double)v!).ToArray()).ToList();
        double[] expected = [ring.Min(p => p[0]), ring.Min(p => p[1]), ring.Max(p => p[0]), ring.Max(p => p[1])];
        var bbox = item["bbox"]!.AsArray().Select(v => (double)v!).ToArray();
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], bbox[i], 1e-6);
    }

    static JsonNode Gdal(string tool, params string[] arguments) => JsonNode.Parse(Tools.Run(tool, arguments))!;
}
