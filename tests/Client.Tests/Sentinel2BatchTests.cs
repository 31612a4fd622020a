using System.IO.Compression;
using System.Text.Json.Nodes;
using Pipeline.Client.Tests.Fuzz;
using Pipeline.Client.Tests.Stac;

namespace Pipeline.Client.Tests;

/// <summary>Issue 31, "Sentinel-2, finished": a folder scan finds .SAFE folders and .SAFE.zip products as scenes (it
/// used to find *.tif only, and walk into a .SAFE), and <c>--bands</c> picks the band group of each product.</summary>
public sealed class Sentinel2BatchTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("sr-s2-batch-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_folder_scan_runs_SAFE_folders_and_zipped_products_beside_GeoTIFFs()
    {
        var inputs = Directory.CreateDirectory(Path.Combine(folder, "in")).FullName;
        var scene = TestScenes.Crop("landsat8_UTM16N_30m_RGBNIR_627x603.tif", 64, 48);
        var bands = Enumerable.Range(1, 4).Select(b => File.ReadAllBytes(Jp2(scene, b))).ToList();
        void MakeProduct(string safe) => File.WriteAllText(Path.Combine(safe, "MTD_MSIL2A.xml"), SafeFuzzer.Metadata(SafeFuzzer.WriteBands(safe, bands)));
        var safe = Path.Combine(inputs, "S2A_MSIL2A_A.SAFE");
        MakeProduct(safe);
        var zipped = Path.Combine(folder, "S2A_MSIL2A_B.SAFE");
        MakeProduct(zipped);
        ZipFile.CreateFromDirectory(zipped, Path.Combine(inputs, "S2A_MSIL2A_B.SAFE.zip"), CompressionLevel.Fastest, includeBaseDirectory: true);
        File.Copy(scene, Path.Combine(inputs, "plain.tif"));
        var outputs = Path.Combine(folder, "out");

        var result = await Sr.RunAsync(["batch", "--input", inputs, "--output", outputs, "--scale", "2", "--model", "bicubic", "--quiet"]);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("3 scenes: 3 done", result.Stdout + result.Stderr);
        foreach (var name in new[] { "S2A_MSIL2A_A", "S2A_MSIL2A_B" })
        {
            var info = JsonNode.Parse(Tools.Run("gdalinfo", "-json", Path.Combine(outputs, $"{name}.tif")))!;
            Assert.Equal(["B02", "B03", "B04", "B08"], info["bands"]!.AsArray().Select(b => (string)b!["description"]!));
        }
        await StacValidator.AssertValidAsync(Path.Combine(outputs, "collection.json"), Path.Combine(outputs, "S2A_MSIL2A_B.json"));

        // The 20 m group: these products have none, which each S2 scene says, named _20m; the GeoTIFF runs as before.
        var twenty = Path.Combine(folder, "out20");
        result = await Sr.RunAsync(["batch", "--input", inputs, "--output", twenty, "--scale", "2", "--model", "bicubic", "--quiet", "--bands", "20m"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("3 scenes: 1 done, 0 skipped, 2 failed", result.Stdout + result.Stderr);
        Assert.Contains($"error: SENTINEL2:\"{safe}\":20m: the product lists no B05 image at 20m", result.Stderr);
        Assert.True(File.Exists(Path.Combine(twenty, "plain.tif")));
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(twenty, "batch-report.json")))!;
        Assert.Contains(Path.Combine(twenty, "S2A_MSIL2A_B_20m.tif"), report["scenes"]!.AsArray().Select(s => (string)s!["output"]!));
    }

    string Jp2(string scene, int band)
    {
        var target = Path.Combine(folder, $"band{band}.jp2");
        Tools.Run("gdal_translate", "-q", "-b", $"{band}", "-of", "JP2OpenJPEG", "-co", "REVERSIBLE=YES", "-co", "QUALITY=100", scene, target);
        return target;
    }
}
